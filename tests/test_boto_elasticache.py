"""The ElastiCache mapping on moto: what is created (replication group or cache cluster), state read back
from the API, moto's gaps as not implemented, deletion and teardown."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.services.elasticache import SERVICE  # noqa: E402


def test_the_service_is_expensive_and_registered():
    assert SERVICE.capability == "elasticache"
    assert SERVICE.kind("elasticache cluster").cost == "expensive"
    assert SERVICE.kind("cache node").cost == "expensive"


def test_redis_is_a_replication_group_and_memcached_a_cache_cluster(world):
    r = world.create("elasticache cluster", '"orders cache"', {"engine": "redis", "at-rest encryption": True}, ())
    m = world.create("elasticache cluster", '"sessions"', {"engine": "memcached", "node count": 3}, ())
    ec = world.client("elasticache")
    group = ec.describe_replication_groups(ReplicationGroupId=r.id)["ReplicationGroups"][0]
    assert r.id == "orders-cache" and group["AtRestEncryptionEnabled"] is True
    assert {"Key": "Name", "Value": '"orders cache"'} in ec.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]
    assert ec.describe_cache_clusters(CacheClusterId=m.id)["CacheClusters"][0]["NumCacheNodes"] == 3
    assert world.observe(r, "engine") == "redis" and world.observe(m, "engine") == "memcached"
    assert world.observe(r, "primary node") == "orders-cache-001"
    assert world.observe(m, "primary node") is None


def test_state_is_read_back_from_the_api(world):
    m = world.create("elasticache cluster", '"c"', {"engine": "memcached"}, ())
    assert world.observe(m, "state") == "available"
    world.client("elasticache").delete_cache_cluster(CacheClusterId=m.id)
    assert world.observe(m, "state") == "deleting"
    assert world.exists(m) is False  # a cluster being deleted no longer exists for a spec


def test_a_missing_moto_action_is_not_implemented_naming_it(world):
    r = world.create("elasticache cluster", '"c"', {"replica count": 1, "automatic failover": True}, ())
    with pytest.raises(NotImplementedByBackend) as info:
        world.act(r, "fail over", None, {})
    assert "TestFailover" in str(info.value.what)
    m = world.create("elasticache cluster", '"m"', {"engine": "memcached"}, ())
    with pytest.raises(NotImplementedByBackend) as info:
        world.create("cache node", '"n"', {}, [("added to", m)])
    assert "ModifyCacheCluster" in str(info.value.what)


def test_metrics_come_from_cloudwatch(world):
    import datetime

    m = world.create("elasticache cluster", '"m"', {"engine": "memcached"}, ())
    assert world.observe(m, "cpu utilization") is None  # moto's CloudWatch has no ElastiCache datapoint
    world.client("cloudwatch").put_metric_data(Namespace="AWS/ElastiCache", MetricData=[{
        "MetricName": "CPUUtilization", "Dimensions": [{"Name": "CacheClusterId", "Value": m.id}],
        "Timestamp": datetime.datetime.now(datetime.timezone.utc), "Value": 12.5, "Unit": "Percent"}])
    assert world.observe(m, "cpu utilization") == 12.5


def test_a_backup_and_a_refusal_keep_aws_codes(world):
    r = world.create("elasticache cluster", '"c"', {}, ())
    bk = world.create("cache backup", '"bk"', {}, [("of", r)])
    assert world.observe(bk, "engine") == "redis"
    assert world.relations(bk) == {("of", r)}
    world.act(bk, "delete", None, {})
    assert world.exists(bk) is False
    with pytest.raises(BackendError) as info:
        world.create("cache backup", '"bk2"', {}, [("of", world.known("elasticache cluster", "nothing"))])
    assert info.value.code == "CacheClusterNotFound"


def test_teardown_deletes_what_was_created(world):
    r = world.create("elasticache cluster", '"c"', {}, ())
    m = world.create("elasticache cluster", '"m"', {"engine": "memcached"}, ())
    bk = world.create("cache backup", '"bk"', {}, [("of", r)])
    assert world.delete_created() == []
    ec = world.client("elasticache")
    assert ec.describe_replication_groups(ReplicationGroupId=r.id)["ReplicationGroups"][0]["Status"] == "deleting"
    assert ec.describe_cache_clusters(CacheClusterId=m.id)["CacheClusters"][0]["CacheClusterStatus"] == "deleting"
    assert not ec.describe_snapshots()["Snapshots"]
    assert world.delete_created() == []  # idempotent
