"""Instance metadata and user data, as an instance reads them over HTTP.

Source: specs/notes/aws-architecture-notes.md, "Metadata and User Data": user
data is supplied at launch; metadata is at http://169.254.169.254/latest/meta-data/
(the trailing "/" is required), user data at http://169.254.169.254/latest/user-data.
AWS EC2 user guide, "Instance metadata categories" and "Work with instance user data"
where the notes are silent: a path that names no item answers 404 Not Found, and so
does /latest/user-data for an instance launched without user data; the Spot
``spot/instance-action`` item exists only once an interruption notice is given.

A spec sends a request from inside a running instance and reads the answer:

    when a metadata request "r" is sent from "web" with url "http://169.254.169.254/latest/meta-data/"
    then the status of "r" is 200

The answer is fixed when the request is sent. Only the metadata service is
modelled (IMDSv1 style: no session token); a request to another host is not
implemented by this backend.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import NotImplementedByBackend, Resource
from . import purchase
from .instances import Instance

SERVICE = "http://169.254.169.254"
AMI = "ami-0abcdef1234567890"  # the reference model's one image


class Request(Resource):
    kind = "metadata request"

    def __init__(self, id, label, url, instance, status, body):
        super().__init__(id, label)
        self.url = url
        self.instance = instance
        self.status = status
        self.body = body

    def relations(self, world) -> frozenset:
        return frozenset({("sent from", self.instance)})

    ATTRIBUTES = {
        "url": lambda w, r: r.url,
        "status": lambda w, r: r.status,
        "body": lambda w, r: r.body,
    }


def metadata(inst: Instance) -> dict[str, str]:
    """The metadata items of an instance now: path under /latest/meta-data/ → value."""
    items = {
        "ami-id": AMI,
        "instance-id": inst.id,
        "instance-type": inst.type,
        "instance-life-cycle": purchase.purchase(inst).option,
        "local-ipv4": inst.private,
        "placement/availability-zone": inst.zone,
    }
    if inst.public is not None:
        items["public-ipv4"] = inst.public
    action = purchase.notice(inst)
    if action is not None:
        items["spot/instance-action"] = action
    return items


def answer(inst: Instance, path: str) -> tuple[int, str]:
    """(status, body) of a GET of ``path`` on the metadata service, from ``inst``."""
    if path == "/latest/user-data":
        data = inst.parts.get("user data")
        return (404, "Not Found") if data is None else (200, data)
    prefix = "/latest/meta-data/"
    if not path.startswith(prefix):
        return 404, "Not Found"  # /latest/meta-data without its trailing "/" among them
    rest = path[len(prefix):]
    items = metadata(inst)
    if rest in items:
        return 200, items[rest]
    if rest == "" or rest.endswith("/"):
        listing = sorted({key[len(rest):].split("/")[0] + ("/" if "/" in key[len(rest):] else "")
                          for key in items if key.startswith(rest)})
        if listing:
            return 200, "\n".join(listing)
    return 404, "Not Found"


def send(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Request:
    inst = next((target for name, target in relations if name == "sent from"), None)
    url = params.get("url")
    if inst is None or url is None:
        raise BackendError("MissingParameter", "A metadata request is sent from an instance, with a url.")
    if not url.startswith(SERVICE + "/"):
        raise NotImplementedByBackend("requests to hosts other than the instance metadata service")
    if inst.state != "running":
        # nothing runs inside an instance that is not running; no AWS API is involved, so no AWS code
        raise BackendError("ReferenceModel.InstanceNotRunning", f"The instance '{inst.id}' is {inst.state}: nothing inside it sends requests.")
    status, body = answer(inst, url[len(SERVICE):])
    return Request(world.new_id("req"), label, url, inst, status, body)


def _on_launched(world, instance: Instance, params: Mapping[str, Any], relations) -> None:
    if "user data" in params:
        instance.parts["user data"] = params["user data"]


def install(world) -> None:
    world.creators["metadata request"] = send
    world.on("launched", _on_launched)
    world.readers[("instance", "user data")] = lambda w, i: i.parts.get("user data")
