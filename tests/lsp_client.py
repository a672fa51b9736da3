"""A small Language Server Protocol client over stdio, as an editor drives a server (for tests and bench/)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path


class LspClient:
    """Starts ``scn lsp`` in a subprocess; requests wait for their answer, notifications queue up."""

    def __init__(self, cwd: str | Path | None = None, command: list[str] | None = None):
        self.proc = subprocess.Popen(command or [sys.executable, "-m", "scenario", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self._id = 0
        self._answers: dict[int, queue.Queue] = {}
        self.notifications: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # ---- wire
    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        with self._lock:
            self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            if "id" in message and "method" not in message:
                self._answers.setdefault(message["id"], queue.Queue()).put(message)
            elif "id" in message:  # a request of the server (e.g. workspace/configuration): answer null
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                self.notifications.put(message)

    # ---- protocol
    def request(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self._id += 1
        rid = self._id
        box = self._answers.setdefault(rid, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        answer = box.get(timeout=timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: dict | None = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self, root: str | Path | None = None) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": Path(root).resolve().as_uri() if root else None,
                                             "capabilities": {}})
        self.notify("initialized", {})
        return result

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> dict:
        """The next publishDiagnostics for ``uri`` (of ``version``, when given)."""
        end = time.monotonic() + timeout
        while True:
            message = self.notifications.get(timeout=max(0.01, end - time.monotonic()))
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            p = message["params"]
            if p["uri"] == uri and (version is None or p.get("version") == version):
                return p

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "scn", "version": version, "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def at(self, uri: str, line: int, character: int) -> dict:
        return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}

    def shutdown(self, timeout: float = 10) -> int:
        self.request("shutdown")
        self.notify("exit")
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass
