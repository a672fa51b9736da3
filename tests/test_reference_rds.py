"""The RDS parts of the reference model (DB instances, read replicas, snapshots and backups,
billing), driven through World methods: the refusals and edge values the specs do not reach."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scenario.errors import BackendError

GB = 1024**3
DAY = 86400


def db(world, name="db", relations=(), **params):
    return world.create("db instance", f'db instance "{name}"', params, tuple(relations))


def replica(world, source, name="r", relations=(), **params):
    return world.create("read replica", f'read replica "{name}"', params, (("of", source),) + tuple(relations))


def snapshot(world, of, name="snap"):
    return world.create("db snapshot", f'db snapshot "{name}"', {}, (("of", of),))


# ------------------------------------------------------------------ creation refusals
@pytest.mark.parametrize("params, code", [
    ({"backup retention": DAY + 1}, "InvalidParameterValue"),  # not whole days
    ({"backup window": "3am"}, "InvalidParameterValue"),
    ({"maintenance window": "someday:03:00-someday:03:30"}, "InvalidParameterValue"),
    ({"storage type": "floppy"}, "InvalidParameterValue"),
    ({"storage type": "io1"}, "InvalidParameterCombination"),  # io1 without IOPS
    ({"iops": 1000}, "InvalidParameterCombination"),  # IOPS on gp2
    ({"engine": "postgres", "storage engine": "innodb"}, "InvalidParameterValue"),
    ({"engine": "mysql", "storage engine": "csv"}, "InvalidParameterValue"),
    ({"engine": "sqlserver-se", "license model": "bring-your-own-license"}, "InvalidParameterCombination"),
    ({"engine": "aurora-postgresql"}, "InvalidParameterCombination"),
])
def test_bad_creation_parameters_are_refused(world, params, code):
    refused(code, db, world, **params)


def test_a_kms_key_with_encryption_turned_off_is_refused(world):
    key = world.create("kms key", 'kms key "k"', {}, ())
    refused("InvalidParameterCombination", db, world, relations=[("with", key)], encrypted=False)
    assert db(world, "implicit", relations=[("with", key)]).kms_key == key.arn  # a key alone means encrypted


def test_a_kms_key_of_an_unknown_region_is_refused(world):
    refused("InvalidParameterValue", world.create, "kms key", 'kms key "k"', {"region": "mars-north-1"}, ())


def test_an_unnamed_db_instance_is_named_after_its_label(world):
    d = world.create("db instance", "db instance #1", {}, ())
    assert d.observe(world, "identifier") == "db-instance-1"


# ------------------------------------------------------------------ restores
def test_a_restore_keeps_the_encryption_of_its_source(world):
    snap = snapshot(world, db(world))
    refused("InvalidParameterCombination", db, world, "copy", relations=[("from", snap)], encrypted=True)


def test_a_deleted_instance_cannot_be_restored_to_a_point_in_time(world):
    source = db(world)
    world.act(source, "delete", None, {})
    refused("DBInstanceNotFound", db, world, "pit", relations=[("from", source)])


def test_a_snapshot_needs_an_instance_or_a_snapshot(world):
    refused("InvalidParameterValue", world.create, "db snapshot", 'db snapshot "s"', {}, ())


def test_an_automated_backup_needs_retention(world):
    source = db(world, **{"backup retention": 0})
    refused("DBInstanceAutomatedBackupNotFound", world.create, "automated backup", 'automated backup "b"', {}, (("of", source),))


def test_a_deleted_snapshot_cannot_be_shared_or_copied(world):
    snap = snapshot(world, db(world))
    account = world.create("aws account", 'aws account "a"', {}, ())
    world.act(snap, "delete", None, {})
    refused("DBSnapshotNotFound", world.act, snap, "share", account, {})
    refused("DBSnapshotNotFound", world.create, "db snapshot", 'db snapshot "c"', {}, (("from", snap),))
    assert snap.relations(world) == frozenset({("of", snap.db)})


def test_an_automated_snapshot_cannot_be_shared(world):
    source = db(world)
    auto = world.rds.automated(source)[0]
    account = world.create("aws account", 'aws account "a"', {}, ())
    refused("InvalidParameterValue", world.act, auto, "share", account, {})
    assert auto.observe(world, "snapshot type") == "automated"
    assert account.observe(world, "account id") == "444455556666"


# ------------------------------------------------------------------ actions
def test_patching_without_pending_maintenance_is_refused(world):
    refused("InvalidParameterValue", world.act, db(world), "patch", None, {})


def test_stop_refusals(world):
    refused("InvalidDBInstanceState", world.act, db(world, "ms", engine="sqlserver-se", **{"multi-az": True}), "stop", None, {})
    source = db(world)
    r = replica(world, source)
    refused("InvalidDBInstanceState", world.act, source, "stop", None, {})
    refused("InvalidDBInstanceState", world.act, r, "stop", None, {})
    refused("InvalidDBInstanceState", world.act, source, "start", None, {})  # not stopped


def test_a_read_replica_keeps_backups_off_except_mysql_and_mariadb(world):
    pg = replica(world, db(world, "pg", engine="postgres"), "rpg")
    refused("InvalidParameterCombination", world.act, pg, "modify", None, {"backup retention": 7 * DAY})
    my = replica(world, db(world, "my"), "rmy")
    world.act(my, "modify", None, {"backup retention": 7 * DAY, "backup window": "05:00-05:30",
                                   "maintenance window": "tue:01:00-tue:01:30"})
    assert my.observe(world, "backup retention") == 7 * DAY
    assert my.observe(world, "backup window") == "05:00-05:30"


def test_a_promoted_replica_cannot_be_promoted_again(world):
    r = replica(world, db(world))
    world.act(r, "promote", None, {})
    refused("InvalidDBInstanceState", world.act, r, "promote", None, {})
    assert r.observe(world, "replication mode") is None


def test_a_promoted_replica_keeps_what_it_had_replicated(world):
    source = db(world)
    r = replica(world, source, **{"availability zone": "us-east-1c"})
    world.act(source, "write", None, {"data size": 10 * GB})
    world.act(r, "promote", None, {})
    world.act(source, "write", None, {"data size": 10 * GB})
    assert r.observe(world, "replication charge") == 0.1


def test_a_failing_over_instance_refuses_actions(world):
    d = db(world, **{"multi-az": True})
    world.act(d, "zone-fail", None, {})
    refused("InvalidDBInstanceState", world.act, d, "reboot", None, {})
    assert d.explain(world, "availability zone").startswith("Multi-AZ")
    assert db(world, "single").explain(world, "availability zone") is None


# ------------------------------------------------------------------ read replica refusals
def test_a_read_replica_needs_a_source(world):
    refused("InvalidParameterValue", world.create, "read replica", 'read replica "r"', {}, ())


def test_a_read_replica_in_an_unknown_region_is_refused(world):
    refused("InvalidParameterValue", replica, world, db(world), region="mars-north-1")


def test_sql_server_has_no_cross_region_replicas(world):
    refused("InvalidParameterCombination", replica, world, db(world, engine="sqlserver-ee"), region="us-west-2")


def test_a_read_replica_of_an_aurora_source_is_impossible(world):
    with pytest.raises(BackendError):
        db(world, engine="aurora-mysql")


# ------------------------------------------------------------------ settings and billing
def test_per_second_billing_has_a_ten_minute_minimum_per_period(world):
    world.set_setting("db per-second billing", True)
    d = db(world, **{"instance class": "db.t3.micro"})
    world.advance(60)
    world.act(d, "modify", None, {"instance class": "db.m5.large"})  # a billable change opens a new period
    world.advance(60)
    assert d.observe(world, "billed instance time") == 1200
    assert db(world, "odd", **{"instance class": "db.x9.huge"}).observe(world, "instance charge") is None
