"""Amazon Aurora in the reference model (the package aurora: kinds, cluster, failover, global_database):
the branches the specs in specs/aurora do not take, through World methods and compiled text."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scn_reference.aurora import cluster as aurora_cluster
from scn_reference.aurora import failover as aurora_failover

DAY = 86_400


def cluster(world, label='aurora cluster "c"', relations=(), **params):
    return world.create("aurora cluster", label, params, tuple(relations))


def replica(world, c, label='aurora replica "r"', **params):
    return world.create("aurora replica", label, params, (("of", c),))


def writer(world, c):
    return world.create("aurora instance", 'aurora instance "w"', {}, (("of", c),))


# ------------------------------------------------------------------ creation and bad input
def test_a_cluster_is_created_with_its_writer_in_the_first_zone(world):
    c = cluster(world)
    w = writer(world, c)
    assert w is c.instances[0] and world.observe(w, "writer") is True
    assert world.observe(w, "availability zone") == "us-east-1a"
    assert world.observe(w, "instance class") == "db.r6g.large"
    assert world.observe(w, "promotion tier") == 1
    assert world.observe(c, "cluster endpoint").startswith(c.id + ".cluster-")
    assert world.observe(c, "cluster endpoint target") == world.observe(w, "endpoint")
    assert world.relations(w) == frozenset({("of", c)})
    assert world.relations(c) == frozenset()
    assert world.observe(c, "global role") is None and world.observe(c, "minimum capacity") is None
    assert world.observe(c, "auto pause delay") is None


def test_the_writer_is_named_of_a_cluster_and_not_configured(world):
    refused("InvalidParameterValue", world.create, "aurora instance", "aurora instance", {}, ())
    c = cluster(world)
    err = refused("InvalidParameterValue", world.create, "aurora instance", "aurora instance", {"promotion tier": 0}, (("of", c),))
    assert "named, not configured" in err.detail


def test_an_unknown_engine_is_refused_and_the_message_names_the_rule(world):
    err = refused("InvalidParameterValue", cluster, world, engine="mysql")
    assert "aurora-mysql or aurora-postgresql" in err.detail


@pytest.mark.parametrize("retention, ok", [(DAY, True), (35 * DAY, True), (0, False), (36 * DAY, False), (DAY + 1, False)])
def test_the_backup_retention_is_1_to_35_whole_days(world, retention, ok):
    if ok:
        assert world.observe(cluster(world, **{"backup retention": retention}), "backup retention") == retention
    else:
        err = refused("InvalidParameterValue", cluster, world, **{"backup retention": retention})
        assert "from 1 to 35" in err.detail


def test_a_replica_needs_its_cluster_and_one_of_its_zones(world):
    refused("InvalidParameterValue", world.create, "aurora replica", "aurora replica", {}, ())
    c = cluster(world)
    err = refused("InvalidParameterValue", replica, world, c, **{"availability zone": "eu-west-1a"})
    assert "us-east-1a, us-east-1b, us-east-1c" in err.detail
    refused("InvalidParameterValue", replica, world, c, **{"promotion tier": -1})


def test_the_sixteenth_replica_is_refused_with_the_models_code(world):
    c = cluster(world)
    for i in range(aurora_cluster.MAX_REPLICAS):
        replica(world, c, f"aurora replica #{i}")
    err = refused("InstanceQuotaExceeded", replica, world, c)
    assert "15 Aurora Replicas" in err.detail
    assert world.count_related("aurora replica", "of", c) == 15
    assert world.count_related("aurora instance", "of", c) == 16


def test_a_replica_in_a_failed_zone_starts_failed_and_never_recovers(world):
    c = cluster(world)
    world.act(c, "degrade", None, {"failed zone": "us-east-1b"})
    r = replica(world, c, **{"availability zone": "us-east-1b"})
    assert world.observe(r, "state") == "failed"
    world.advance(DAY)
    assert world.observe(r, "state") == "failed"


def test_serverless_settings_belong_to_serverless_clusters(world):
    err = refused("InvalidParameterCombination", cluster, world, **{"minimum capacity": 2})
    assert "Serverless" in err.detail
    refused("InvalidParameterValue", cluster, world, **{"engine mode": "serverless", "minimum capacity": 1.25})
    refused("InvalidParameterValue", cluster, world, **{"engine mode": "serverless", "engine": "aurora-postgresql", "minimum capacity": 1})
    pg = cluster(world, **{"engine mode": "serverless", "engine": "aurora-postgresql"})
    assert world.observe(pg, "minimum capacity") == 2
    world.set_setting("aurora serverless version", 2)
    assert world.observe(cluster(world, **{"engine mode": "serverless", "minimum capacity": 0.5}), "capacity") == 0.5


# ------------------------------------------------------------------ faults and failover
def test_fault_parameters_are_checked(world):
    c = cluster(world)
    refused("ReferenceModel.UnknownZone", world.act, c, "degrade", None, {"failed zone": "us-west-2a"})
    refused("ReferenceModel.OneFault", world.act, c, "degrade", None, {"failed zone": "us-east-1a", "lost copies": 1})
    refused("ReferenceModel.NoSuchCopies", world.act, c, "degrade", None, {"lost copies": 0})
    assert world.observe(c, "storage copies") == 6 and world.observe(c, "failed zone") is None


def test_the_writable_claim_explains_itself(world):
    c = cluster(world)
    world.act(c, "degrade", None, {"lost copies": 3})
    assert world.explain(c, "writable") == "3 of 6 copies live, available, writer available"
    assert world.explain(c, "storage copies") is None


def test_a_failover_to_an_instance_of_another_cluster_is_refused(world):
    a, b = cluster(world), cluster(world, 'aurora cluster "b"')
    replica(world, a)
    other = replica(world, b, 'aurora replica "o"')
    refused("InvalidDBInstanceState", world.act, a, "fail over", other, {})


def test_a_failover_to_a_failed_replica_is_refused(world):
    c = cluster(world)
    r = replica(world, c)
    world.act(r, "fail", None, {})
    refused("InvalidDBClusterStateFault", world.act, c, "fail over", r, {})
    assert world.advance(aurora_failover.RECOVER_SECONDS)[r] == ["creating", "available"]


def test_a_secondary_of_a_global_database_cannot_fail_over_on_its_own(world):
    g = world.create("aurora global database", "g", {}, ())
    cluster(world, "us", (("in", g),))
    eu = cluster(world, "eu", (("in", g),), region="eu-west-1")
    replica(world, eu)
    refused("InvalidDBClusterStateFault", world.act, eu, "fail over", None, {})


def test_a_writer_failing_during_a_failover_waits_for_the_promotion(world):
    c = cluster(world)
    w = writer(world, c)
    r = replica(world, c)
    world.act(c, "fail over", None, {})
    world.act(w, "fail", None, {})
    assert world.observe(c, "state") == "failing-over"
    world.advance(aurora_failover.FAILOVER_SECONDS)
    assert world.observe(r, "writer") and world.observe(c, "writable")


def test_a_promotion_whose_replica_failed_meanwhile_goes_to_the_next_one(world):
    c = cluster(world)
    w = writer(world, c)
    first = replica(world, c, "first", **{"promotion tier": 0})
    second = replica(world, c, "second", **{"promotion tier": 5})
    world.act(w, "fail", None, {})
    world.act(first, "fail", None, {})
    world.advance(aurora_failover.FAILOVER_SECONDS)
    assert world.observe(c, "state") == "failing-over"  # the promotion moved on to the second replica
    world.advance(aurora_failover.FAILOVER_SECONDS)
    assert world.observe(second, "writer") and world.observe(c, "state") == "available"


def test_a_promotion_with_no_replica_left_waits_for_the_writer(world):
    c = cluster(world)
    w = writer(world, c)
    r = replica(world, c)
    world.act(w, "fail", None, {})
    world.act(r, "fail", None, {})
    world.advance(aurora_failover.FAILOVER_SECONDS)
    assert world.observe(c, "state") == "failing-over" and not world.observe(c, "writable")
    world.advance(aurora_failover.RECOVER_SECONDS)
    assert world.observe(c, "state") == "available" and world.observe(w, "writer")


def test_a_paused_serverless_cluster_resumes_on_a_connection_but_not_twice(world):
    s = cluster(world, **{"engine mode": "serverless"})
    assert world.act(s, "connect", None, {}) == ()
    world.act(s, "disconnect", None, {})
    world.act(s, "disconnect", None, {})  # already idle: idle since the first
    world.advance(aurora_cluster.AUTO_PAUSE[0])
    assert world.observe(s, "state") == "paused"
    assert world.act(s, "connect", None, {}) == ("available",)


# ------------------------------------------------------------------ backups and Global Database
def test_a_restore_names_its_source_and_point(world):
    c = cluster(world)
    world.advance(3600)
    r = cluster(world, 'aurora cluster "r"', (("restored from", c),), **{"restore age": 600})
    assert world.relations(r) == frozenset({("restored from", c)})
    assert world.observe(r, "restore age") == 600
    err = refused("InvalidRestoreFault", cluster, world, 'aurora cluster "x"', (("restored from", c),), **{"restore age": 7200})
    assert "3600 seconds" in err.detail


def test_a_mysql_replica_needs_a_source(world):
    refused("InvalidParameterValue", world.create, "aurora mysql replica", "m", {}, ())
    c = cluster(world)
    m = world.create("aurora mysql replica", "m", {}, (("of", c),))
    assert world.relations(m) == frozenset({("of", c)})
    assert world.observe(m, "region") == "us-west-2" and world.observe(m, "state") == "available"
    for i in range(4):
        world.create("aurora mysql replica", f"m{i}", {}, (("of", c),))
    refused("DBClusterQuotaExceededFault", world.create, "aurora mysql replica", "m6", {}, (("of", c),))


def test_a_global_database_knows_its_members(world):
    g = world.create("aurora global database", "g", {}, ())
    assert world.observe(g, "primary region") is None and world.observe(g, "state") == "available"
    us = cluster(world, "us", (("in", g),))
    assert world.relations(us) == frozenset({("in", g)})
    assert world.count_related("aurora cluster", "in", g) == 1
    refused("InvalidParameterValue", cluster, world, "us2", (("in", g),))


def test_a_detached_secondary_keeps_its_writer_if_it_has_one(world):
    g = world.create("aurora global database", "g", {}, ())
    cluster(world, "us", (("in", g),))
    eu = cluster(world, "eu", (("in", g),), region="eu-west-1")
    assert world.observe(eu.instances[0], "role") == "reader"
    eu.instances[0].role = "writer"  # as if it had been promoted already
    world.act(eu, "detach", None, {})
    assert world.observe(eu, "writable") is True


# ------------------------------------------------------------------ through the language
def test_a_spec_reads_the_failover_and_the_clock():
    from scenario.compiler import compile_text
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    text = '''
feature: f
  scenario: s
    given an aurora cluster "c"
    and an aurora instance "w" of "c"
    and an aurora replica "r" of "c"
    when "w" is failed
    and 29 seconds pass
    then "c" is failing-over
    when 1 second passes
    then "r" is writer
'''
    feature = compile_text(text, vocabulary())
    outcome = run_scenario(feature.scenarios[0], backend("reference"))
    assert outcome.status == "passed", outcome.message
