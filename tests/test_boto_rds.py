"""The RDS mapping on moto: names, state read back from the API, refusals with AWS's codes, what is not
implemented, encryption through KMS keys, snapshot sharing, teardown."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.services.rds import SERVICE, db_identifier  # noqa: E402

DAY = 86400


def test_the_identifier_is_the_specs_name(world):
    assert db_identifier(world, 'db instance "Orders DB"') == "orders-db"
    assert db_identifier(world, "db instance #3") == "db-instance-3"
    db = world.create("db instance", 'db instance "orders"', {"engine": "postgres"}, ())
    assert db.id == "orders"
    assert world.observe(db, "identifier") == "orders"
    assert world.observe(db, "port") == 5432


def test_state_is_read_back_from_the_api_not_from_the_handle(world):
    db = world.create("db instance", '"db"', {"backup retention": 7 * DAY}, ())
    assert world.observe(db, "backup retention") == 7 * DAY
    world.client("rds").modify_db_instance(DBInstanceIdentifier=db.id, BackupRetentionPeriod=3, ApplyImmediately=True)
    assert world.observe(db, "backup retention") == 3 * DAY
    world.client("rds").stop_db_instance(DBInstanceIdentifier=db.id)
    assert world.observe(db, "state") == "stopped"


def test_an_unknown_engine_is_refused_with_the_apis_code(world):
    with pytest.raises(BackendError) as info:
        world.create("db instance", '"db"', {"engine": "mongodb"}, ())
    assert info.value.code == "InvalidParameterValue"


def test_a_moto_key_error_is_not_implemented_never_a_failed_claim(world):
    with pytest.raises(NotImplementedByBackend) as info:
        world.create("db instance", '"db"', {"engine": "mariadb"}, ())
    assert "CreateDbInstance" in info.value.what or "create_db_instance" in info.value.what.lower()


def test_what_the_api_cannot_ask_is_not_implemented(world):
    db = world.create("db instance", '"db"', {}, ())
    with pytest.raises(NotImplementedByBackend):
        world.act(db, "modify", None, {"encrypted": True})
    with pytest.raises(NotImplementedByBackend):
        world.act(db, "write", None, {})
    assert "db instance.write" in SERVICE.why


def test_an_encrypted_instance_uses_the_kms_key_given(world):
    key = world.create("kms key", '"k"', {}, ())
    db = world.create("db instance", '"db"', {"encrypted": True}, [("with", key)])
    assert world.observe(db, "encrypted") is True
    assert world.observe(db, "kms key id") == world.observe(key, "key id")
    snap = world.create("db snapshot", '"snap"', {}, [("of", db)])
    assert world.observe(snap, "encrypted") is True
    assert world.observe(snap, "kms key id") == world.observe(key, "key id")


def test_a_replica_counts_for_its_source_and_names_it(world):
    db = world.create("db instance", '"db"', {}, ())
    replica = world.create("read replica", '"r"', {}, [("of", db)])
    assert world.observe(replica, "replication source") == "db"
    assert world.observe(replica, "read only") is True
    assert world.observe(db, "read only") is False
    assert world.count_related("read replica", "of", db) == 1
    assert ("of", world.known("db instance", "db")) in world.relations(replica)


def test_sharing_a_snapshot_is_read_back_as_a_relation(world):
    db = world.create("db instance", '"db"', {}, ())
    snap = world.create("db snapshot", '"snap"', {}, [("of", db)])
    partner = world.create("aws account", '"partner"', {}, ())
    world.act(snap, "share", partner, {})
    assert ("shared with", partner) in world.relations(snap)
    world.act(snap, "unshare", partner, {})
    assert ("shared with", partner) not in world.relations(snap)


def test_teardown_deletes_what_was_created(world):
    db = world.create("db instance", '"db"', {"parameter group": "custom-mysql", "db security group": "app-db"}, ())
    assert world.observe(db, "parameter group") == "custom-mysql"
    assert world.observe(db, "db security group") == "app-db"
    snap = world.create("db snapshot", '"snap"', {}, [("of", db)])
    replica = world.create("read replica", '"r"', {}, [("of", db)])
    assert world.delete_created() == []
    rds = world.client("rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    assert [s for s in rds.describe_db_snapshots()["DBSnapshots"] if s["SnapshotType"] == "manual"] == []
    assert not world.exists(db) and not world.exists(replica) and not world.exists(snap)
    groups = [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]
    assert "custom-mysql" not in groups
    sgs = world.client("ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": ["app-db"]}])
    assert sgs["SecurityGroups"] == []
