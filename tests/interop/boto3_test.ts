/**
 * Proof that the simulator speaks AWS: Debian's boto3 (1.26) runs against it. One Python script
 * performs every call and prints what it saw as JSON; the assertions are made here.
 * boto3 1.26 ignores AWS_ENDPOINT_URL*, so the script passes endpoint_url; it signs STS for
 * us-east-1 whatever the region, which the simulator must accept.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { canRun, interopTest, PYTHON, run, startBed, WRONG_SECRET } from "./_bed.ts";

const available = await canRun(PYTHON, ["-c", "import boto3"]);

const SCRIPT = `
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = json.loads(sys.argv[1])
url = cfg["url"]
s3cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
out = {}

def err(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

src = boto3.session.Session(aws_access_key_id=cfg["key"], aws_secret_access_key=cfg["secret"],
                            region_name=cfg["region"])
sts = src.client("sts", endpoint_url=url)
out["identity"] = sts.get_caller_identity()["Arn"]
out["source_buckets"] = [b["Name"] for b in src.client("s3", endpoint_url=url, config=s3cfg)
                         .list_buckets()["Buckets"]]
r = sts.assume_role(RoleArn=cfg["roleArn"], RoleSessionName="interop-boto3",
                    ExternalId=cfg["externalId"])
c = r["Credentials"]
out["assumed_arn"] = r["AssumedRoleUser"]["Arn"]
out["access_key"] = c["AccessKeyId"]
out["expiration_is_datetime"] = hasattr(c["Expiration"], "tzinfo")
dev = boto3.session.Session(aws_access_key_id=c["AccessKeyId"],
                            aws_secret_access_key=c["SecretAccessKey"],
                            aws_session_token=c["SessionToken"], region_name=cfg["region"])
s3 = dev.client("s3", endpoint_url=url, config=s3cfg)
lb = s3.list_buckets()
out["dev_buckets"] = [b["Name"] for b in lb["Buckets"]]
out["dev_owner"] = lb["Owner"]["DisplayName"]
out["dev_identity"] = dev.client("sts", endpoint_url=url).get_caller_identity()["Account"]
out["locations"] = {b: s3.get_bucket_location(Bucket=b)["LocationConstraint"] for b in cfg["quirks"]}
out["denied_location"] = err(lambda: s3.get_bucket_location(Bucket=cfg["deniedElsewhere"]))
out["missing_bucket"] = err(lambda: s3.get_bucket_location(Bucket="no-such-bucket-anywhere"))
head = s3.head_bucket(Bucket=cfg["headBucket"])
out["head_region"] = head["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region")
lo = s3.list_objects_v2(Bucket=cfg["objectsBucket"], Delimiter="/")
out["top_prefixes"] = [p["Prefix"] for p in lo.get("CommonPrefixes", [])]
out["wrong_external_id"] = err(lambda: sts.assume_role(
    RoleArn=cfg["roleArn"], RoleSessionName="interop-boto3", ExternalId="not-the-external-id"))
bad = boto3.session.Session(aws_access_key_id=cfg["key"], aws_secret_access_key=cfg["wrongSecret"],
                            region_name=cfg["region"])
out["wrong_secret"] = err(lambda: bad.client("sts", endpoint_url=url).get_caller_identity())
out["wrong_secret_s3"] = err(lambda: bad.client("s3", endpoint_url=url, config=s3cfg).list_buckets())
unknown = boto3.session.Session(aws_access_key_id="AKIANOTINTHEWORLD000",
                                aws_secret_access_key=cfg["secret"], region_name=cfg["region"])
out["unknown_key"] = err(lambda: unknown.client("sts", endpoint_url=url).get_caller_identity())
out["too_long"] = err(lambda: sts.assume_role(
    RoleArn=cfg["testRoleArn"], RoleSessionName="interop", ExternalId=cfg["testExternalId"],
    DurationSeconds=cfg["tooLong"]))
print(json.dumps(out))
`;

interopTest("boto3 works against the simulator", available, "python3-boto3", async () => {
  const bed = await startBed();
  try {
    const world = demoWorld();
    const names = (id: string) =>
      (world.accounts.find((a) => a.id === id)?.buckets ?? []).map((b) => b.name).sort();
    const { dev, test } = DEMO.roles;
    const objectsBucket = world.accounts.flatMap((a) => a.buckets)
      .find((b) => b.name === DEMO.buckets.withObjects);
    assert.ok(objectsBucket?.objects?.length, "the demo has a bucket with objects");
    const script = join(bed.dir, "interop.py");
    await Deno.writeTextFile(script, SCRIPT);
    const cfg = {
      url: bed.url,
      region: DEMO.region,
      key: DEMO.accessKeyId,
      secret: DEMO.secretAccessKey,
      wrongSecret: WRONG_SECRET,
      roleArn: dev.roleArn,
      externalId: dev.externalId,
      quirks: [DEMO.buckets.usEast1, DEMO.buckets.legacyEu, DEMO.buckets.named.name],
      deniedElsewhere: names(test.accountId)[0],
      headBucket: DEMO.buckets.named.name,
      objectsBucket: DEMO.buckets.withObjects,
      testRoleArn: test.roleArn,
      testExternalId: test.externalId,
      tooLong: test.maxSessionDuration * 2,
    };
    const r = await run(PYTHON, [script, JSON.stringify(cfg)], bed.env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);

    assert.equal(out.identity, `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`);
    assert.deepEqual(out.source_buckets, names(DEMO.sourceAccountId));
    assert.equal(
      out.assumed_arn,
      `arn:aws:sts::${dev.accountId}:assumed-role/${dev.roleName}/interop-boto3`,
    );
    assert.match(out.access_key, /^ASIA/);
    assert.equal(out.expiration_is_datetime, true, "Expiration parses as a timestamp");
    assert.deepEqual(out.dev_buckets, names(dev.accountId));
    assert.equal(out.dev_owner, "dev");
    assert.equal(out.dev_identity, dev.accountId);
    assert.deepEqual(out.locations, {
      [DEMO.buckets.usEast1]: null,
      [DEMO.buckets.legacyEu]: "EU",
      [DEMO.buckets.named.name]: DEMO.buckets.named.region,
    });
    assert.equal(out.denied_location?.code, "AccessDenied");
    assert.equal(out.missing_bucket?.code, "NoSuchBucket");
    assert.equal(out.head_region, DEMO.buckets.named.region);
    const expectedTop = [
      ...new Set(
        objectsBucket.objects.filter((o) => o.key.includes("/"))
          .map((o) => o.key.slice(0, o.key.indexOf("/") + 1)),
      ),
    ].sort();
    assert.deepEqual(out.top_prefixes, expectedTop);
    assert.equal(out.wrong_external_id?.code, "AccessDenied");
    assert.match(out.wrong_external_id?.message, /is not authorized to perform: sts:AssumeRole/);
    assert.equal(out.wrong_secret?.code, "SignatureDoesNotMatch");
    assert.equal(out.wrong_secret_s3?.code, "SignatureDoesNotMatch");
    assert.equal(out.unknown_key?.code, "InvalidClientTokenId");
    assert.equal(out.too_long?.code, "ValidationError");
    assert.equal(
      out.too_long?.message,
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  } finally {
    await bed.close();
  }
});
