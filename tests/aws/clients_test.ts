import assert from "node:assert/strict";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { BackoffRetryStrategy, makeStsClient } from "../../src/aws/clients.ts";
import { makeS3Client } from "../../src/aws/s3_client.ts";
import { assumeRole } from "../../src/aws/sts.ts";
import { AwsError } from "../../src/core/errors.ts";
import { assumeRoleOk, miniServer, slowDown, stsError, xml } from "./_mini_server.ts";

Deno.test("the verbose log shows one line per request and never a key, token, MFA code or External ID", async () => {
  const secrets = {
    sourceSecret: "SourceSecretValue123456",
    sourceToken: "SourceSessionTokenValue789",
    issuedSecret: "IssuedSecretValue000111",
    issuedToken: "IssuedTokenValue222333",
    mfa: "864213",
    externalId: "ExternalIdValue-4455",
  };
  const server = await miniServer(() =>
    assumeRoleOk({ id: "ASIAISSUED", secret: secrets.issuedSecret, token: secrets.issuedToken })
  );
  const lines: string[] = [];
  try {
    const sts = makeStsClient({
      region: "us-east-1",
      credentials: {
        accessKeyId: "AKIASOURCE",
        secretAccessKey: secrets.sourceSecret,
        sessionToken: secrets.sourceToken,
      },
      endpoint: server.url,
      log: (line) => lines.push(line),
    });
    await assumeRole(sts, {
      roleArn: "arn:aws:iam::222222222222:role/Reader",
      sessionName: "xrole-dev",
      externalId: secrets.externalId,
      mfaSerial: "arn:aws:iam::111111111111:mfa/dev",
      mfaCode: secrets.mfa,
    }, "us-east-1");
    // The request really carried them (so the test could catch a leak).
    const sent = server.requests[0]!;
    assert.ok(sent.body.includes(secrets.externalId) && sent.body.includes(secrets.mfa));
    assert.ok(sent.headers.get("x-amz-security-token") === secrets.sourceToken);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^sts AssumeRole POST \/ 200 \d+ms attempt 1$/);
    const all = lines.join("\n");
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(!all.includes(value), `${what} leaked into the log`);
    }
    assert.ok(!/authorization|signature|credential/i.test(all));
  } finally {
    await server.close();
  }
});

Deno.test("503 SlowDown is retried with backoff and the log shows each attempt", async () => {
  const server = await miniServer((_req, i) =>
    i < 2 ? slowDown() : xml(
      `<ListAllMyBucketsResult><Buckets><Bucket><Name>only</Name>` +
        `<CreationDate>2024-01-01T00:00:00Z</CreationDate></Bucket></Buckets>` +
        `</ListAllMyBucketsResult>`,
    )
  );
  const lines: string[] = [];
  try {
    const s3 = makeS3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
      endpoint: server.url,
      log: (line) => lines.push(line),
    });
    const out = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(out.Buckets?.map((b) => b.Name), ["only"]);
    assert.equal(out.$metadata.attempts, 3);
    assert.deepEqual(lines.map((l) => l.replace(/ \d+ms/, "")), [
      "s3 ListBuckets GET / 503 attempt 1",
      "s3 ListBuckets GET / 503 attempt 2",
      "s3 ListBuckets GET / 200 attempt 3",
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("client errors such as AccessDenied are not retried", async () => {
  const server = await miniServer(() => stsError("AccessDenied", "no"));
  try {
    const sts = makeStsClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
      endpoint: server.url,
    });
    await assert.rejects(
      assumeRole(sts, { roleArn: "arn:aws:iam::222222222222:role/R", sessionName: "s1" }, "x"),
      AwsError,
    );
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

Deno.test("throttling is retried up to the attempt limit, then the error surfaces", async () => {
  const server = await miniServer(() => slowDown());
  try {
    const s3 = makeS3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
      endpoint: server.url,
      maxAttempts: 3,
    });
    const err = await s3.send(new ListBucketsCommand({})).catch((e) => e);
    assert.equal(err.name, "SlowDown");
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

Deno.test("backoff grows with each retry and throttling waits longer than other errors", () => {
  const strategy = new BackoffRetryStrategy(5, () => 1);
  const transient = { errorType: "TRANSIENT" as const };
  const throttled = { errorType: "THROTTLING" as const };
  const delays = [1, 2, 3].map((n) => strategy.delay(n, transient));
  assert.ok(delays[0]! < delays[1]! && delays[1]! < delays[2]!, delays.join(","));
  assert.ok(strategy.delay(1, throttled) > strategy.delay(1, transient));
  assert.ok(strategy.delay(30, throttled) <= 5_000);
});

Deno.test("hostnames are addressed path-style when an endpoint is configured", async () => {
  const server = await miniServer(() =>
    xml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">ap-south-1</LocationConstraint>`,
    )
  );
  try {
    const { GetBucketLocationCommand } = await import("@aws-sdk/client-s3");
    const s3 = makeS3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
      endpoint: server.url.replace("127.0.0.1", "localhost"),
    });
    const out = await s3.send(new GetBucketLocationCommand({ Bucket: "acme.dotted.name" }));
    assert.equal(out.LocationConstraint, "ap-south-1");
    assert.match(server.requests[0]?.path ?? "", /^\/acme\.dotted\.name\/?\?location/);
  } finally {
    await server.close();
  }
});

Deno.test("onSend runs as each signed request goes out, before the server has it", async () => {
  let answered = 0;
  const server = await miniServer(() => {
    answered++;
    return answered === 1 ? slowDown() : assumeRoleOk({ id: "ASIAX", secret: "s", token: "t" });
  });
  const seenAtSend: number[] = [];
  try {
    const sts = makeStsClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIASOURCE", secretAccessKey: "secret" },
      endpoint: server.url,
      onSend: () => seenAtSend.push(server.requests.length),
    });
    await assumeRole(
      sts,
      { roleArn: "arn:aws:iam::222222222222:role/R", sessionName: "s1" },
      "us-east-1",
    );
    // Once per attempt (the first was throttled), each time before the server saw that attempt,
    // and each attempt was signed by then.
    assert.deepEqual(seenAtSend, [0, 1]);
    assert.ok(server.requests.every((r) => r.headers.get("authorization")?.startsWith("AWS4-")));
  } finally {
    await server.close();
  }
});
