"""The boto3 mappings of Aurora, Redshift and EMR on moto: the tricky parts, read back from the API."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.services import KINDS, cost_class  # noqa: E402

DAY = 86_400


def test_database_kinds_are_expensive_and_deletable():
    for kind in ("aurora cluster", "aurora replica", "aurora mysql replica", "redshift cluster", "emr cluster"):
        assert cost_class(kind) == "expensive", kind
        assert KINDS[kind].delete is not None, kind


# ---------------------------------------------------------------- aurora
def test_an_aurora_cluster_is_created_with_its_writer(world):
    c = world.create("aurora cluster", 'aurora cluster "c"', {"backup retention": 7 * DAY}, [])
    w = world.create("aurora instance", 'aurora instance "w"', {}, [("of", c)])
    r = world.create("aurora replica", 'aurora replica "r"', {"promotion tier": 0}, [("of", c)])
    assert world.observe(w, "writer") is True and world.observe(r, "role") == "reader"
    assert world.observe(c, "backup retention") == 7 * DAY  # read back: BackupRetentionPeriod in days
    assert world.count_related("aurora instance", "of", c) == 2
    assert world.count_related("aurora replica", "of", c) == 1
    assert world.observe(c, "cluster endpoint target") == world.observe(w, "endpoint")


def test_a_failover_moves_the_writer_and_the_cluster_endpoint_target(world):
    c = world.create("aurora cluster", "c", {}, [])
    w = world.create("aurora instance", "w", {}, [("of", c)])
    r = world.create("aurora replica", "r", {}, [("of", c)])
    world.act(c, "fail over", r, {})
    assert world.observe(r, "writer") is True and world.observe(w, "role") == "reader"
    assert world.observe(c, "cluster endpoint target") == world.observe(r, "endpoint")


def test_failing_over_a_single_instance_cluster_surfaces_aws_code(world):
    c = world.create("aurora cluster", "c", {}, [])
    with pytest.raises(BackendError) as info:
        world.act(c, "fail over", None, {})
    assert info.value.code == "InvalidDBClusterStateFault"


def test_a_fractional_retention_is_not_implemented_not_rounded(world):
    with pytest.raises(NotImplementedByBackend, match="whole number of days"):
        world.create("aurora cluster", "c", {"backup retention": 36 * 3600}, [])


def test_a_global_database_reads_roles_and_regions_back(world):
    g = world.create("aurora global database", "g", {}, [])
    us = world.create("aurora cluster", "us", {"region": "us-east-1"}, [("in", g)])
    eu = world.create("aurora cluster", "eu", {"region": "eu-west-1"}, [("in", g)])
    assert world.observe(g, "region count") == 2 and world.observe(g, "primary region") == "us-east-1"
    assert world.observe(us, "global role") == "primary" and world.observe(eu, "global role") == "secondary"
    assert world.observe(eu, "region") == "eu-west-1"
    assert world.observe(us, "writable") is True and world.observe(eu, "writable") is False
    assert world.count_related("aurora cluster", "in", g) == 2


def test_aurora_teardown_deletes_instances_and_cluster(world):
    c = world.create("aurora cluster", "c", {}, [])
    r = world.create("aurora replica", "r", {}, [("of", c)])
    assert world.delete_created() == []
    assert not world.exists(r) and not world.exists(c)


# ---------------------------------------------------------------- redshift
def test_a_redshift_cluster_shape_is_read_back(world):
    one = world.create("redshift cluster", "one", {"node type": "dc2.large", "compute node count": 1}, [])
    dw = world.create("redshift cluster", "dw", {"compute node count": 4, "availability zone": "us-east-1c"}, [])
    assert world.observe(one, "cluster type") == "single-node"
    assert world.observe(dw, "cluster type") == "multi-node"
    assert world.count_related("compute node", "of", dw) == 4
    assert world.observe(dw, "availability zone") == "us-east-1c"
    assert world.observe(dw, "port") == 5439


def test_a_redshift_snapshot_restores_into_another_zone(world):
    dw = world.create("redshift cluster", "dw", {"compute node count": 2}, [])
    snap = world.create("redshift snapshot", "snap", {}, [("of", dw)])
    dw2 = world.create("redshift cluster", "dw2", {"availability zone": "us-east-1b"}, [("restored from", snap)])
    assert world.observe(dw2, "availability zone") == "us-east-1b"
    assert world.count_related("redshift snapshot", "of", dw) >= 1
    assert world.related(snap, "of", dw)
    with pytest.raises(NotImplementedByBackend):  # DescribeClusters does not name the snapshot
        world.relations(dw2)


def test_loading_redshift_data_is_not_implemented(world):
    dw = world.create("redshift cluster", "dw", {}, [])
    with pytest.raises(NotImplementedByBackend):
        world.act(dw, "load", None, {"load size": 1024})


def test_redshift_teardown_deletes_clusters_and_snapshots(world):
    dw = world.create("redshift cluster", "dw", {}, [])
    snap = world.create("redshift snapshot", "snap", {}, [("of", dw)])
    assert world.delete_created() == []
    assert not world.exists(snap) and not world.exists(dw)


# ---------------------------------------------------------------- emr
def test_an_emr_cluster_runs_in_the_default_subnet_of_its_zone(world):
    c = world.create("emr cluster", "c", {"availability zones": "us-east-1c", "applications": "Spark"}, [])
    assert world.observe(c, "state") == "waiting"
    assert world.observe(c, "availability zones") == "us-east-1c"  # the default subnet of us-east-1c, read back
    # moto reports Ec2AvailabilityZone from Placement (us-east-1a by default), not from the subnet: read, not assumed
    assert world.observe(c, "availability zone") == "us-east-1a"
    assert world.observe(c, "vpc id").startswith("vpc-")
    assert world.observe(c, "applications") == "Spark"
    assert world.observe(c, "instance count") == 3


def test_an_emr_cluster_terminates_and_teardown_is_idempotent(world):
    c = world.create("emr cluster", "c", {}, [])
    assert world.act(c, "terminate", None, {})[-1] == "terminated"
    assert world.exists(c)  # a terminated cluster is still described
    assert world.delete_created() == []
