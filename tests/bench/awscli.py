"""The AWS CLI v2 approach: `aws sts assume-role`, `aws s3api list-buckets`, then one
`aws s3api get-bucket-location` process per bucket, as a shell loop would do it.

Usage: /usr/bin/python3 awscli.py AWS_BIN ENDPOINT_URL ROLE_ARN EXTERNAL_ID [LIMIT]
Source credentials come from the AWS files / AWS_PROFILE in the environment. Debian's awscli 2.9
ignores AWS_ENDPOINT_URL, so every call gets --endpoint-url. With LIMIT, only the first LIMIT
buckets are looked up (the bench extrapolates the rest from lookupMs).
Prints {"buckets": [{"name", "region"}...], "listed": N, "lookups": K, "lookupMs": ms}.
"""
import json
import os
import subprocess
import sys
import time

aws, url, role_arn, external_id = sys.argv[1:5]
limit = int(sys.argv[5]) if len(sys.argv) > 5 else None


def call(args, env=None):
    out = subprocess.run([aws, *args, "--endpoint-url", url, "--output", "json"],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else {}


creds = call(["sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "awscli",
              "--external-id", external_id])["Credentials"]
env = dict(os.environ)
env.pop("AWS_PROFILE", None)
env["AWS_ACCESS_KEY_ID"] = creds["AccessKeyId"]
env["AWS_SECRET_ACCESS_KEY"] = creds["SecretAccessKey"]
env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
names = [b["Name"] for b in call(["s3api", "list-buckets"], env).get("Buckets", [])]
todo = names if limit is None else names[:limit]
start = time.monotonic()
rows = []
for name in todo:
    constraint = call(["s3api", "get-bucket-location", "--bucket", name], env).get(
        "LocationConstraint")
    region = constraint or "us-east-1"
    if region == "EU":
        region = "eu-west-1"
    rows.append({"name": name, "region": region})
lookup_ms = (time.monotonic() - start) * 1000.0
print(json.dumps({"buckets": rows, "listed": len(names), "lookups": len(todo),
                  "lookupMs": lookup_ms}))
