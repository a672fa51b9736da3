"""``scn sweep`` against a moto server on 127.0.0.1, and the kill-and-sweep test: a run killed with
SIGKILL in the middle of a scenario leaves tagged resources; the sweep removes every one of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto")

from helpers.moto_server import ACCOUNT, aws_env, ec2_client, live_tagged, moto_server, server_environ  # noqa: E402,F401

from scenario.cli import main  # noqa: E402
from scn_boto.sweep import age_seconds  # noqa: E402


def tagged_instance(url: str, run_id: str, created: str = "2026-01-01T00:00:00Z", extra=()) -> str:
    tags = [{"Key": "scn:run-id", "Value": run_id}, {"Key": "scn:created", "Value": created},
            {"Key": "Name", "Value": f"{run_id} web"}, *extra]
    ec2 = ec2_client(url)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    answer = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                               TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
    return answer["Instances"][0]["InstanceId"]


def tagged_address(url: str, run_id: str, instance: str | None = None, created: str = "2026-01-01T00:00:00Z") -> str:
    ec2 = ec2_client(url)
    tags = [{"Key": "scn:run-id", "Value": run_id}, {"Key": "scn:created", "Value": created}]
    alloc = ec2.allocate_address(Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": tags}])["AllocationId"]
    if instance:
        ec2.associate_address(AllocationId=alloc, InstanceId=instance)
    return alloc


def sweep(url: str, *args: str) -> int:
    return main(["sweep", "--endpoint-url", url, "--aws-account", ACCOUNT, "--poll", "0.01", *args])


def test_age_seconds():
    assert [age_seconds(t) for t in ("90", "90s", "30m", "2h", "1d")] == [90, 90, 1800, 7200, 86400]
    with pytest.raises(Exception, match="give an age such as"):
        age_seconds("two hours")


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_sweep_is_a_dry_run_by_default_and_deletes_with_yes(aws_env, capsys):
    iid = tagged_instance(aws_env, "old-run")
    alloc = tagged_address(aws_env, "old-run", iid)
    other = tagged_instance(aws_env, "other-run")
    assert sweep(aws_env, "--run-id", "old-run") == 0
    out = capsys.readouterr().out
    assert f"would delete instance {iid} (running, 'old-run web') run old-run" in out
    assert f"would delete elastic ip {alloc} (associated) run old-run" in out
    assert "2 resources (run old-run)" in out and "run again with --yes" in out
    assert sorted(live_tagged(aws_env, "old-run")) == sorted([iid, alloc])  # nothing deleted
    assert sweep(aws_env, "--run-id", "old-run", "--yes") == 0
    out = capsys.readouterr().out
    assert "deleted 2 resources; nothing tagged by scn (run old-run) remains" in out
    assert live_tagged(aws_env, "old-run") == []
    assert live_tagged(aws_env, "other-run") == [other]  # another run's are not touched
    assert sweep(aws_env, "--run-id", "old-run") == 0
    assert "nothing tagged by scn (run old-run)" in capsys.readouterr().out


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_sweep_by_age_takes_only_the_old_ones_and_never_untagged_resources(aws_env, capsys):
    old = tagged_instance(aws_env, "run-a", created="2020-01-01T00:00:00Z")
    new = tagged_instance(aws_env, "run-b", created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    ec2 = ec2_client(aws_env)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    mine = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]  # not scn's
    assert sweep(aws_env, "--older-than", "1d", "--yes") == 0
    assert "deleted 1 resource;" in capsys.readouterr().out
    states = {i["InstanceId"]: i["State"]["Name"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]}
    assert states == {old: "terminated", new: "running", mine: "running"}


def test_sweep_needs_a_criterion_and_an_allowlisted_account(aws_env, capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--endpoint-url", aws_env, "--aws-account", ACCOUNT])
    assert main(["sweep", "--endpoint-url", aws_env, "--run-id", "x"]) == 2
    assert "runs only on allowlisted accounts" in capsys.readouterr().err
    assert main(["sweep", "--endpoint-url", aws_env, "--run-id", "x", "--aws-account", "111111111111", "--yes"]) == 2
    assert f"account {ACCOUNT} is not on it" in capsys.readouterr().err


# ---------------------------------------------------------------- kill and sweep
MANY = """\
    @ec2
    feature: many resources per scenario
    """ + "".join(f"""
      scenario: scenario {n}
        given a running instance "a"
        and a running instance "b"
        and a running instance "c"
        and an elastic ip "x" associated with "a"
        and an elastic ip "y" associated with "b"
        when "a" is stopped
        and "a" is started
        and "b" is stopped
        and "b" is started
        then "c" is running
    """ for n in range(60))


def _run_and_kill(url: str, folder, run_id: str) -> tuple[list[str], float]:
    """Start ``scn run`` on the server; SIGKILL it as soon as resources tagged with ``run_id`` exist."""
    proc = subprocess.Popen([sys.executable, "-m", "scenario", "run", str(folder), "--backend", "aws", "--quiet",
                             "--endpoint-url", url, "--aws-account", ACCOUNT, "--run-id", run_id,
                             "--poll", "0.01", "--settle", "0"],
                            env=server_environ(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if len(live_tagged(url, run_id)) >= 2:
                break
            time.sleep(0.01)
        start = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)  # its own pid: nothing else
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
        return live_tagged(url, run_id), time.monotonic() - start
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_a_killed_run_leaves_tagged_resources_and_sweep_removes_them_all(aws_env, tmp_path, capsys):
    (tmp_path / "many.scn").write_text(textwrap.dedent(MANY))
    for attempt in range(5):  # the kill lands between two scenarios' teardowns only by bad luck: try again
        run_id = f"killed-{attempt}"
        left, _ = _run_and_kill(aws_env, tmp_path, run_id)
        if left:
            break
    assert left, "no kill landed in the middle of a scenario in 5 attempts"
    # a dry run lists them and deletes nothing
    assert sweep(aws_env, "--run-id", run_id) == 0
    out = capsys.readouterr().out
    assert all(rid in out for rid in left)
    assert sorted(live_tagged(aws_env, run_id)) == sorted(left)
    # --yes deletes them all: nothing tagged with the run id remains (terminated instances count as gone)
    assert sweep(aws_env, "--run-id", run_id, "--yes") == 0
    assert "nothing tagged by scn" in capsys.readouterr().out
    assert live_tagged(aws_env, run_id) == []
    ec2 = ec2_client(aws_env)
    flt = [{"Name": "tag:scn:run-id", "Values": [run_id]}]
    assert ec2.describe_addresses(Filters=flt)["Addresses"] == []
    states = {i["State"]["Name"] for r in ec2.describe_instances(Filters=flt)["Reservations"] for i in r["Instances"]}
    assert states == {"terminated"}
    print(f"\nkilled {run_id} with {len(left)} live resources tagged; swept to zero")


# ---------------------------------------------------------------- every service
def _client(url: str, name: str):
    import boto3

    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 region_name="us-east-1").client(name, endpoint_url=url)


# slow for the fast loop's budget (issue 19): a dozen services made and swept on a moto server (~4 s)
@pytest.mark.slow
def test_sweep_finds_and_deletes_across_services_newest_first(aws_env, capsys):
    import io
    import zipfile

    run_id = "multi-run"

    def tags(n: int, label: str) -> list[dict]:
        return [{"Key": "scn:run-id", "Value": run_id}, {"Key": "Name", "Value": f"{run_id} 1 {label}"},
                {"Key": "scn:created", "Value": f"2026-01-01T00:00:00.00000{n}Z"}]

    ec2 = ec2_client(aws_env)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags(1, "vpc")}])
    vpc_id = vpc["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="multi-sg", Description="scn", VpcId=vpc_id, TagSpecifications=[
        {"ResourceType": "security-group", "Tags": tags(2, 'security group "sg"')}])["GroupId"]
    role = _client(aws_env, "iam").create_role(RoleName="multi-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return 1\n")
    fn = _client(aws_env, "lambda").create_function(
        FunctionName="multi-fn", Runtime="python3.12", Role=role, Handler="index.handler",
        Code={"ZipFile": code.getvalue()}, Tags={t["Key"]: t["Value"] for t in tags(3, 'lambda function "fn"')})
    assert sweep(aws_env, "--run-id", run_id) == 0
    out = capsys.readouterr().out
    listed = [line.split(" (")[0].split()[-1] for line in out.splitlines() if line.startswith("would delete")]
    assert listed == ["multi-fn", group, vpc_id]  # newest first: the order they are deleted in
    assert "lambda function multi-fn (present, 'multi-run 1 lambda function \"fn\"') run multi-run" in out
    assert sweep(aws_env, "--run-id", run_id, "--yes") == 0
    out = capsys.readouterr().out
    assert "deleted 3 resources; nothing tagged by scn (run multi-run) remains" in out
    assert _client(aws_env, "lambda").list_functions()["Functions"] == []
    assert ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroups"] == []
    assert ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"] == []
    assert fn["FunctionName"] == "multi-fn"


# slow for the fast loop's budget (issue 19): billed kinds made and swept on a moto server (~3 s)
@pytest.mark.slow
def test_sweep_finds_and_deletes_the_billed_kinds_the_tagging_api_misses(aws_env, capsys):
    """ElastiCache (a replication group and a cache cluster), DAX, Kinesis data streams, Redshift and EMR: each
    kind's own List/Describe and tags calls (a moto server's tagging API covers none of them)."""
    run_id = "billed-run"
    n = iter(range(1, 100))

    def tags(label: str) -> list[dict]:
        return [{"Key": "scn:run-id", "Value": run_id}, {"Key": "Name", "Value": f"{run_id} 1 {label}"},
                {"Key": "scn:created", "Value": f"2026-01-01T00:00:00.0000{next(n):02d}Z"}]

    def as_map(items: list[dict]) -> dict:
        return {t["Key"]: t["Value"] for t in items}

    cache = _client(aws_env, "elasticache")
    cache.create_replication_group(ReplicationGroupId="billed-group", ReplicationGroupDescription="scn",
                                   Engine="redis", CacheNodeType="cache.t3.micro", NumCacheClusters=1,
                                   Tags=tags('elasticache cluster "g"'))
    cache.create_cache_cluster(CacheClusterId="billed-memcached", Engine="memcached", CacheNodeType="cache.t3.micro",
                               NumCacheNodes=1, Tags=tags('elasticache cluster "m"'))
    _client(aws_env, "dax").create_cluster(ClusterName="billed-dax", NodeType="dax.t3.small", ReplicationFactor=1,
                                           IamRoleArn=f"arn:aws:iam::{ACCOUNT}:role/scn-dax", Tags=tags('dax "d"'))
    kinesis = _client(aws_env, "kinesis")
    kinesis.create_stream(StreamName="billed-stream", ShardCount=1)
    kinesis.add_tags_to_stream(StreamName="billed-stream", Tags=as_map(tags('kinesis stream "s"')))
    _client(aws_env, "redshift").create_cluster(
        ClusterIdentifier="billed-redshift", NodeType="dc2.large", MasterUsername="scn",
        MasterUserPassword="Password1", ClusterType="single-node", Tags=tags('redshift cluster "r"'))
    emr = _client(aws_env, "emr").run_job_flow(
        Name="billed-emr", ReleaseLabel="emr-6.15.0", JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole",
        Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True},
        Tags=tags('emr cluster "e"'))["JobFlowId"]
    # not scn's: left alone
    kinesis.create_stream(StreamName="not-scn", ShardCount=1)
    assert sweep(aws_env, "--run-id", run_id) == 0
    out = capsys.readouterr().out
    listed = [line.split(" (")[0].split(" ", 2)[-1] for line in out.splitlines() if line.startswith("would delete")]
    assert listed == [f"emr cluster {emr}", "redshift cluster billed-redshift",
                      "kinesis stream billed-stream", "dax cluster billed-dax", "elasticache cluster billed-memcached",
                      "elasticache cluster billed-group"], out
    assert sweep(aws_env, "--run-id", run_id, "--yes") == 0, capsys.readouterr().out
    assert "deleted 6 resources; nothing tagged by scn (run billed-run) remains" in capsys.readouterr().out
    assert kinesis.list_streams()["StreamNames"] == ["not-scn"]
    assert _client(aws_env, "redshift").describe_clusters()["Clusters"] == []
    states = {c["Status"]["State"] for c in _client(aws_env, "emr").list_clusters()["Clusters"]}
    assert states <= {"TERMINATED", "TERMINATING"}


# slow for the fast loop's budget (issue 19): four services made and swept on a moto server (~2.5 s)
@pytest.mark.slow
def test_sweep_finds_and_deletes_queues_keys_and_video_streams(aws_env, capsys):
    """SQS queues and KMS keys (their deletion scheduled): each kind's own List and tags
    calls; video streams are looked for alike, and moto's server, which has no ListTagsForStream, is named as not
    looked at."""
    run_id = "more-run"
    n = iter(range(1, 100))

    def tag_map(label: str) -> dict:
        return {"scn:run-id": run_id, "Name": f"{run_id} 1 {label}",
                "scn:created": f"2026-01-01T00:00:00.0000{next(n):02d}Z"}

    sqs = _client(aws_env, "sqs")
    sqs.create_queue(QueueName="more-queue", tags=tag_map('sqs queue "q"'))
    sqs.create_queue(QueueName="not-scn")
    key = _client(aws_env, "kms").create_key(Description="scn", Tags=[
        {"TagKey": k, "TagValue": v} for k, v in tag_map('kms key "k"').items()])["KeyMetadata"]
    _client(aws_env, "kinesisvideo").create_stream(StreamName="more-video", Tags=tag_map('video stream "v"'))
    assert sweep(aws_env, "--run-id", run_id) == 0
    out = capsys.readouterr().out
    listed = [line.split(" (")[0].split(" ", 2)[-1] for line in out.splitlines() if line.startswith("would delete")]
    assert "not looked for (the endpoint does not implement reading a video stream's tags" in out
    assert listed == [f"kms key {key['Arn']}",
                      "sqs queue more-queue"], out
    assert sweep(aws_env, "--run-id", run_id, "--yes") == 0, capsys.readouterr().out
    assert "deleted 2 resources; nothing tagged by scn (run more-run) remains" in capsys.readouterr().out
    assert [u.rsplit("/", 1)[-1] for u in sqs.list_queues()["QueueUrls"]] == ["not-scn"]
    assert _client(aws_env, "kms").describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"


# slow for the fast loop's budget (issue 19): APIs made and swept on a moto server (~2.5 s)
@pytest.mark.slow
def test_sweep_finds_and_deletes_rest_and_websocket_apis(aws_env, capsys):
    """API Gateway's own GetRestApis and GetApis (a moto server's tagging API does not cover API Gateway)."""
    run_id = "api-run"

    def tag_map(n: int, label: str) -> dict:
        return {"scn:run-id": run_id, "Name": f"{run_id} 1 {label}", "scn:created": f"2026-01-01T00:00:00.00000{n}Z"}

    rest = _client(aws_env, "apigateway").create_rest_api(name="api-rest", tags=tag_map(1, 'rest api "r"'))["id"]
    ws = _client(aws_env, "apigatewayv2").create_api(Name="api-ws", ProtocolType="WEBSOCKET",
                                                     RouteSelectionExpression="$request.body.action",
                                                     Tags=tag_map(2, 'websocket api "w"'))["ApiId"]
    _client(aws_env, "apigateway").create_rest_api(name="not-scn")
    assert sweep(aws_env, "--run-id", run_id) == 0
    out = capsys.readouterr().out
    listed = [line.split(" (")[0].split(" ", 2)[-1] for line in out.splitlines() if line.startswith("would delete")]
    assert listed == [f"websocket api {ws}", f"rest api {rest}"], out
    assert sweep(aws_env, "--run-id", run_id, "--yes") == 0, capsys.readouterr().out
    assert "deleted 2 resources; nothing tagged by scn (run api-run) remains" in capsys.readouterr().out
    assert [a["name"] for a in _client(aws_env, "apigateway").get_rest_apis()["items"]] == ["not-scn"]
    assert _client(aws_env, "apigatewayv2").get_apis()["Items"] == []


# slow for the fast loop's budget (issue 19): buckets made and swept on a moto server (~2 s)
@pytest.mark.slow
def test_sweep_finds_and_deletes_tagged_buckets_with_their_objects(aws_env, capsys):
    """S3's own ListBuckets and GetBucketTagging; an untagged bucket is left alone."""
    s3 = _client(aws_env, "s3")
    s3.create_bucket(Bucket="bucket-run-data")
    s3.put_bucket_tagging(Bucket="bucket-run-data", Tagging={"TagSet": [
        {"Key": "scn:run-id", "Value": "bucket-run"}, {"Key": "scn:created", "Value": "2026-01-01T00:00:00.000001Z"}]})
    s3.put_object(Bucket="bucket-run-data", Key="a.json", Body=b"{}")
    s3.create_bucket(Bucket="not-scn-bucket")
    assert sweep(aws_env, "--run-id", "bucket-run") == 0
    assert "would delete s3 bucket bucket-run-data (present) run bucket-run" in capsys.readouterr().out
    assert sweep(aws_env, "--run-id", "bucket-run", "--yes") == 0, capsys.readouterr().out
    assert "deleted 1 resource; nothing tagged by scn (run bucket-run) remains" in capsys.readouterr().out
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["not-scn-bucket"]
