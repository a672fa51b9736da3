"""Amazon Redshift in the reference model (the package redshift: kinds, cluster): the branches the specs in
specs/redshift do not take, through World methods and compiled text."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scn_reference.redshift import cluster as rc

GB = 1024**3
DAY = 86_400


def cluster(world, label='redshift cluster "dw"', relations=(), **params):
    return world.create("redshift cluster", label, params, tuple(relations))


def test_a_default_cluster_is_ra3_16xlarge_with_two_nodes_in_one_zone(world):
    dw = cluster(world)
    assert world.observe(dw, "node type") == rc.DEFAULT_NODE_TYPE
    assert world.observe(dw, "compute node count") == 2
    assert world.observe(dw, "maximum nodes") == 128
    assert world.observe(dw, "state") == "available"
    assert world.creation_states(dw) == ("creating",)
    assert world.observe(dw, "endpoint address") == f"{dw.id}.cexample2.us-east-1.redshift.amazonaws.com"
    assert world.observe(dw, "multi-az") is False and world.observe(dw, "availability zone count") == 1
    assert world.observe(dw, "latest snapshot size") is None and world.observe(dw, "load size") == 0
    assert world.relations(dw) == frozenset()
    assert world.count_related("leader node", "of", dw) == 1


@pytest.mark.parametrize("nodes, code", [(129, "NumberOfNodesPerClusterLimitExceeded"), (0, "InvalidParameterValue"),
                                         (1, "InvalidParameterCombination")])
def test_the_number_of_nodes_is_checked_against_the_node_type(world, nodes, code):
    err = refused(code, cluster, world, **{"compute node count": nodes})
    assert "ra3.16xlarge" in err.detail or "at least 1" in err.detail


def test_the_messages_name_the_rule(world):
    assert "at most 128 compute nodes" in refused("NumberOfNodesPerClusterLimitExceeded", cluster, world,
                                                  **{"compute node count": 129}).detail
    assert "5431-5455 or 8191-8215" in refused("InvalidParameterValue", cluster, world, port=5439 - 100).detail
    assert "from 0 to 35" in refused("InvalidParameterValue", cluster, world, **{"automated snapshot retention": DAY // 2}).detail


def test_a_multi_az_cluster_spans_two_zones_when_the_setting_allows(world):
    world.set_setting("redshift multi-az support", True)
    dw = cluster(world, **{"multi-az": True, "availability zone": "us-east-1c"})
    assert dw.zones() == ["us-east-1c", "us-east-1a"]


def test_a_snapshot_is_of_a_cluster(world):
    refused("ClusterNotFound", world.create, "redshift snapshot", "snap", {}, ())
    dw = cluster(world)
    world.act(dw, "load", None, {"load size": 2 * GB})
    snap = world.create("redshift snapshot", "snap", {}, (("of", dw),))
    assert world.relations(snap) == frozenset({("of", dw)})
    assert world.observe(snap, "snapshot type") == "manual" and world.observe(snap, "size") == 2 * GB
    assert world.observe(snap, "compute node count") == 2 and world.observe(snap, "state") == "available"
    assert world.count_related("redshift snapshot", "of", dw) == 1


def test_a_restore_can_change_the_node_count(world):
    dw = cluster(world, **{"compute node count": 4})
    snap = world.create("redshift snapshot", "snap", {}, (("of", dw),))
    dw2 = cluster(world, 'redshift cluster "dw2"', (("restored from", snap),), **{"compute node count": 8})
    assert world.observe(dw2, "compute node count") == 8
    assert world.relations(dw2) == frozenset({("restored from", snap)})


def test_a_load_of_nothing_is_refused(world):
    dw = cluster(world)
    refused("InvalidParameterValue", world.act, dw, "load", None, {"load size": 0})


def test_without_automated_snapshots_a_big_load_takes_none(world):
    dw = cluster(world, **{"node type": "dc2.large", "automated snapshot retention": 0})
    world.act(dw, "load", None, {"load size": 100 * GB})
    world.advance(DAY)
    assert world.count_related("redshift snapshot", "of", dw) == 0
    assert world.observe(dw, "backup size") == 0


def test_a_snapshot_eight_hours_after_the_last_waits_for_the_change(world):
    dw = cluster(world)
    world.advance(DAY)  # long idle: the next snapshot is due at the change, not eight hours after creation
    world.act(dw, "load", None, {"load size": GB})
    world.advance(1)
    assert world.count_related("redshift snapshot", "of", dw) == 1
    assert dw.snapshots[0].taken_at == DAY


def test_explanations(world):
    dw = cluster(world)
    assert world.explain(dw, "data copies") == "2 compute nodes, automated snapshots on"
    assert world.explain(dw, "port") is None


def test_a_spec_counts_nodes_and_checks_the_limit():
    from scenario.compiler import compile_text
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    text = '''
feature: f
  scenario: s
    given a data warehouse "dw" with 128 compute nodes
    then the number of compute nodes of "dw" is 128
    and the number of leader nodes of "dw" is 1
    when a redshift cluster "big" is created with 129 compute nodes
    then it fails with "NumberOfNodesPerClusterLimitExceeded"
'''
    feature = compile_text(text, vocabulary())
    outcome = run_scenario(feature.scenarios[0], backend("reference"))
    assert outcome.status == "passed", outcome.message
