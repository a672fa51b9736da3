"""A moto server on 127.0.0.1 for the aws backend's tests: started, reset and stopped by the tests themselves.

``MotoServer`` starts ``python -m moto.server -H 127.0.0.1 -p <free port>`` as a
child process (never on any other address), waits until it answers, resets it
with ``POST /moto-api/reset`` and stops it by its own pid. The fixtures:

- ``moto_server`` (session): one server per test process (per xdist worker);
- ``aws_env`` (function): dummy credentials and no ~/.aws files in the
  environment, the server reset, and the aws backend pointed at it;
- ``endpoint``: the server's URL, after the reset.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HOST = "127.0.0.1"
ACCOUNT = "123456789012"  # moto's STS answers this account
#: the environment of every test that talks to the server: dummy credentials, no user files
DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS",
           "SCN_AWS_ACCOUNTS", "AWS_REGION",
           # the in-process moto backend sets it while its mock is open: a server started meanwhile would have no AMIs
           "MOTO_EC2_LOAD_DEFAULT_AMIS")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DUMMY_ENV)
    env.update(extra)
    return env


class MotoServer:
    """One moto server child process on 127.0.0.1."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> "MotoServer":
        env = server_environ()
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.port)],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.proc.returncode} before answering")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1) as answer:
                    answer.read()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto server on {self.url} did not answer in {timeout:g} s")
                time.sleep(0.1)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.kill(proc.pid, signal.SIGTERM)  # its own pid, nothing else
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def moto_server():
    server = MotoServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def aws_env(monkeypatch, moto_server):
    """Dummy credentials, no ~/.aws, a reset server; the server's URL."""
    for key in CLEARED:
        monkeypatch.delenv(key, raising=False)
    for key, value in DUMMY_ENV.items():
        monkeypatch.setenv(key, value)
    moto_server.reset()
    return moto_server.url


def ec2_client(url: str):
    import boto3

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
    return session.client("ec2", endpoint_url=url)


def live_tagged(url: str, run_id: str) -> list[str]:
    """Every live resource tagged with ``run_id`` on the server (terminated instances and released addresses are gone)."""
    ec2 = ec2_client(url)
    flt = [{"Name": "tag:scn:run-id", "Values": [run_id]}]
    out = [i["InstanceId"] for r in ec2.describe_instances(Filters=flt)["Reservations"] for i in r["Instances"]
           if i["State"]["Name"] != "terminated"]
    out += [a["AllocationId"] for a in ec2.describe_addresses(Filters=flt)["Addresses"]]
    return out
