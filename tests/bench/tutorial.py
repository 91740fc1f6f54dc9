"""The tutorial's approach, as a user would copy it: boto3 assumes the role, lists the buckets,
then asks GetBucketLocation for one bucket after another.

Usage: /usr/bin/python3 tutorial.py ENDPOINT_URL ROLE_ARN EXTERNAL_ID [LIMIT]
Source credentials come from the AWS files / AWS_PROFILE in the environment (as in the tutorial).
Debian's boto3 1.26 ignores AWS_ENDPOINT_URL, so the endpoint is an argument. With LIMIT, only
the first LIMIT buckets are looked up (the bench extrapolates the rest from lookupMs).
Prints {"buckets": [{"name", "region"}...], "listed": N, "lookups": K, "lookupMs": ms}.
"""
import json
import sys
import time

import boto3
from botocore.config import Config

url, role_arn, external_id = sys.argv[1:4]
limit = int(sys.argv[4]) if len(sys.argv) > 4 else None

sts = boto3.client("sts", endpoint_url=url)
creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="tutorial",
                        ExternalId=external_id)["Credentials"]
s3 = boto3.client(
    "s3",
    endpoint_url=url,
    aws_access_key_id=creds["AccessKeyId"],
    aws_secret_access_key=creds["SecretAccessKey"],
    aws_session_token=creds["SessionToken"],
    config=Config(s3={"addressing_style": "path"}),
)
names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
todo = names if limit is None else names[:limit]
start = time.monotonic()
rows = []
for name in todo:
    constraint = s3.get_bucket_location(Bucket=name)["LocationConstraint"]
    region = constraint or "us-east-1"
    if region == "EU":
        region = "eu-west-1"
    rows.append({"name": name, "region": region})
lookup_ms = (time.monotonic() - start) * 1000.0
print(json.dumps({"buckets": rows, "listed": len(names), "lookups": len(todo),
                  "lookupMs": lookup_ms}))
