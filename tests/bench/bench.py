"""End-to-end cost of gtlint on a realistic synthetic repository, next to bare parsing, Checkov and cfn-lint.

    python tests/bench/bench.py [--sizes 100,1000,10000] [--runs 3] [--iac-corpus 1000] [--json FILE]
    python tests/bench/bench.py --smoke        # tiny inputs, one run, under a minute: for CI

The corpus is generated into a temporary folder, the same for the same `--seed`: CloudFormation YAML
and JSON templates, a cdk.out folder with a large template (about `--large-template-kib`, 900 KiB, one per
1,000 files), SAM templates, Step Functions definitions (`.asl.json`), Terraform modules (folders of three or
four `.tf` files), Python modules and scripts, notebooks with outputs (some with images), shell
scripts, JavaScript and TypeScript, Kubernetes manifests, request and other JSON documents, and
other YAML (workflows, compose files, OpenAPI). About `--jobs-percent` of them hold labeling jobs:
copies of the fixtures of that form (`fixtures/<form>`, read when the corpus is generated).

Every figure is the median wall time of `--runs` runs of a separate process, so each includes the
interpreter's start-up; peak memory is the child's `ru_maxrss` (with the children it waited for), from
`os.wait4`. Measured:

- `gtlint scan CORPUS --format json --output FILE` for each of `--sizes` files, with seconds per 1,000
  files, and the incremental cost: the extra seconds per extra 1,000 files over the next smaller size
  (over `gtlint scan` of an empty folder, the start-up, for the smallest). The scaling figures are the
  largest over the smallest of each (linear is about 1; start-up and one-off imports weigh on the first).
- The bare cost of parsing the same files in one process: `ast.parse` (.py), `yaml.load_all` with
  `yaml.CSafeLoader` (.yaml, .yml, .template; CloudFormation's short-form tags are taken as plain values,
  which `CSafeLoader` alone rejects), `json.loads` (.json, .ipynb) and `hcl2.loads` (.tf). Shell and
  JavaScript/TypeScript files are only read: there is no standard parser for them in Python.
- Checkov on the IaC files (CloudFormation, SAM, cdk.out templates, Terraform modules, Kubernetes
  manifests) of the corpus of `--iac-corpus` files, copied to a folder of their own, without and with
  gtlint's checks: `checkov -d DIR --framework cloudformation terraform kubernetes --quiet --compact
  -o json --skip-download [--external-checks-dir PACK]`, offline (`BC_SKIP_MAPPING=TRUE`).
- cfn-lint on the CloudFormation and SAM templates of that folder: `cfn-lint --format json
  [--append-rules=PACK] -- FILES`; `gtlint scan` on the same IaC folder.
- The IAM evaluation (`tests/bench/bench_iam.py`, run as a script): one template with 1,000 roles and
  10,000 statements.

Targets, each printed as met or missed with its margin: gtlint at most 3x the bare parse; Checkov and
cfn-lint with the pack at most 1.10x without it; gtlint at least 10x faster than Checkov with the pack;
gtlint's peak memory under 250 MiB at the largest N.
The results are printed as a table, then as one line of JSON (the last line of the output), which
`--json FILE` also writes. Every host process is killed after `--timeout` seconds.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import itertools
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
FIXTURES = BENCH.parents[1] / "fixtures"
MIB = 2**20
LARGE_TEMPLATE_EVERY = 1000  # files
SMOKE = {"sizes": [40], "runs": 1, "iac_corpus": 40, "large_template_kib": 64, "jobs_percent": 25.0,
         "iam_roles": 100, "iam_statements": 1000}

SERVICES = ("orders", "billing", "catalog", "search", "users", "inventory", "payments", "shipping", "reports",
            "media", "auth", "notifications")
NOUNS = ("order", "invoice", "image", "customer", "shipment", "report", "event", "session", "product", "review")
VERBS = ("load", "filter", "score", "merge", "export", "validate", "normalize", "enrich", "archive", "sync")
ACCOUNT = "111122223333"

# ---------------------------------------------------------------------------------------------------------
# Text snippets. Placeholders are @name@ (words, see `words`), so braces and `$` stay as the languages want.


def words(rng: random.Random, n: int) -> dict[str, str]:
    noun, verb, service = rng.choice(NOUNS), rng.choice(VERBS), rng.choice(SERVICES)
    return {"@n@": str(n), "@noun@": noun, "@Noun@": noun.title(), "@verb@": verb, "@Verb@": verb.title(),
            "@service@": service, "@Service@": service.title()}


def fill(template: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def snippets(rng: random.Random, templates: tuple[str, ...], count: int, start: int) -> str:
    return "".join(fill(rng.choice(templates), words(rng, start + part)) for part in range(count))


def snippet_count(rng: random.Random, median: float, most: int) -> int:
    """How many snippets a file has: log-normal, as file sizes in real repositories are."""
    return max(1, min(most, round(rng.lognormvariate(0, 0.7) * median)))


PY_HEADER = '''"""@Service@ @noun@ helpers."""

from __future__ import annotations

import argparse
import json
import logging
import os
from dataclasses import dataclass, field

import boto3

logger = logging.getLogger(__name__)
'''
PY_SNIPPETS = (
    '''

def @verb@_@noun@_@n@(records: list[dict], threshold: float = @n@.5) -> list[dict]:
    """@Verb@ @noun@ records above the threshold for the @service@ pipeline."""
    result = []
    for record in records:
        score = record.get("score", 0) * 1.@n@
        if score > threshold:
            result.append({"id": record["id"], "score": score, "tags": sorted(record.get("tags", []))})
    return result
''',
    '''

class @Noun@Repository@n@:
    """Stores @noun@ items in the DynamoDB table @service@-@noun@."""

    def __init__(self, table_name: str = "@service@-@noun@") -> None:
        self._table = boto3.resource("dynamodb").Table(table_name)
        self._cache: dict[str, dict] = {}

    def get(self, key: str) -> dict | None:
        if key in self._cache:
            return self._cache[key]
        item = self._table.get_item(Key={"pk": key}).get("Item")
        if item is not None:
            self._cache[key] = item
        return item

    def put(self, item: dict) -> None:
        self._table.put_item(Item=item)
        self._cache[item["pk"]] = item
''',
    '''

@dataclass(frozen=True)
class @Noun@Event@n@:
    id: str
    source: str = "@service@"
    attempts: int = @n@
    payload: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "source": self.source, "attempts": self.attempts, "payload": self.payload})
''',
    '''

def upload_@noun@_@n@(path: str, bucket: str = "@service@-artifacts") -> str:
    key = f"@noun@/{os.path.basename(path)}"
    boto3.client("s3").upload_file(path, bucket, key, ExtraArgs={"ServerSideEncryption": "aws:kms"})
    logger.info("uploaded %s to s3://%s/%s", path, bucket, key)
    return key
''',
    '''

def start_training_@n@(name: str, image: str, role_arn: str) -> str:
    """A SageMaker training job for the @noun@ model (not a labeling job)."""
    sagemaker = boto3.client("sagemaker")
    response = sagemaker.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
        RoleArn=role_arn,
        OutputDataConfig={"S3OutputPath": "s3://@service@-models/@noun@/", "KmsKeyId": "alias/@service@-models"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    return response["TrainingJobArn"]
''',
    '''

def labeling_status_@n@(name: str) -> str:
    """Polls a Ground Truth job someone else started."""
    status = boto3.client("sagemaker").describe_labeling_job(LabelingJobName=name)["LabelingJobStatus"]
    logger.info("labeling job %s is %s", name, status)
    return status
''',
)
PY_MAIN = '''

def main() -> None:
    parser = argparse.ArgumentParser(description="@Verb@ @noun@ records for @service@")
    parser.add_argument("input")
    parser.add_argument("--threshold", type=float, default=@n@.0)
    parser.add_argument("--dry-run", action="store_true")
    arguments = parser.parse_args()
    with open(arguments.input, encoding="utf-8") as handle:
        records = json.load(handle)
    if not arguments.dry_run:
        print(json.dumps([record for record in records if record.get("score", 0) > arguments.threshold]))


if __name__ == "__main__":
    main()
'''

JS_HEADER = '''"use strict";
const { S3Client, GetObjectCommand, PutObjectCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({ region: process.env.AWS_REGION });
'''
JS_SNIPPETS = (
    '''
async function @verb@@Noun@@n@(event) {
  const key = event.Records?.[0]?.s3?.object?.key ?? "@noun@/@n@.json";
  const response = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET ?? "@service@-data", Key: key }));
  const body = JSON.parse(await response.Body.transformToString());
  const items = body.items.filter((item) => item.score > @n@).map((item) => ({ ...item, tag: "@noun@" }));
  const output = { Bucket: "@service@-out", Key: `@noun@/${Date.now()}.json`, Body: JSON.stringify(items) };
  await s3.send(new PutObjectCommand(output));
  return { statusCode: 200, body: JSON.stringify({ count: items.length }) };
}
exports.@verb@@Noun@@n@ = @verb@@Noun@@n@;
''',
    '''
function format@Noun@@n@(item, locale = "en-US") {
  const amount = new Intl.NumberFormat(locale, { style: "currency", currency: item.currency || "USD" });
  return {
    id: item.id,
    label: `${item.name} (${amount.format(item.total / 100)})`,
    created: new Date(item.createdAt).toISOString(),
    tags: (item.tags || []).map((tag) => tag.toLowerCase()).sort(),
  };
}
exports.format@Noun@@n@ = format@Noun@@n@;
''',
)
TS_HEADER = '''import { useMemo, useState } from "react";
import { SageMakerClient, DescribeLabelingJobCommand } from "@aws-sdk/client-sagemaker";

const sagemaker = new SageMakerClient({ region: "us-east-1" });
'''
TS_SNIPPETS = (
    '''
export interface @Noun@@n@ {
  id: string;
  score: number;
  tags: string[];
  createdAt: Date;
}

export class @Noun@Service@n@ {
  private readonly cache = new Map<string, @Noun@@n@>();

  constructor(private readonly baseUrl: string = "https://api.example.com/@service@") {}

  async get(id: string): Promise<@Noun@@n@ | undefined> {
    if (this.cache.has(id)) {
      return this.cache.get(id);
    }
    const response = await fetch(`${this.baseUrl}/@noun@s/${id}`);
    if (!response.ok) {
      throw new Error(`failed to load @noun@ ${id}: ${response.status}`);
    }
    const item = (await response.json()) as @Noun@@n@;
    this.cache.set(id, item);
    return item;
  }
}
''',
    '''
export async function labelingStatus@n@(name: string): Promise<string | undefined> {
  const output = await sagemaker.send(new DescribeLabelingJobCommand({ LabelingJobName: name }));
  return output.LabelingJobStatus;
}
''',
)
TSX_SNIPPET = '''
export function @Noun@List@n@({ items }: { items: { id: string; name: string }[] }): JSX.Element {
  const [filter, setFilter] = useState("");
  const visible = useMemo(() => items.filter((item) => item.name.includes(filter)), [items, filter]);
  return (
    <section className="@noun@-list">
      <input value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Filter @noun@s" />
      <ul>
        {visible.map((item) => (
          <li key={item.id}>{item.name}</li>
        ))}
      </ul>
    </section>
  );
}
'''

SHELL_HEADER = '''#!/usr/bin/env bash
# @Verb@ the @service@ @noun@ resources.
set -euo pipefail

ENVIRONMENT="${ENVIRONMENT:-dev}"
ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"

log() { printf '%s %s\\n' "$(date -u +%FT%TZ)" "$*" >&2; }
'''
SHELL_SNIPPETS = (
    '''
deploy_@service@_@n@() {
  local stack="@service@-@noun@-${ENVIRONMENT}"
  log "deploying ${stack}"
  aws cloudformation deploy \\
    --template-file "templates/@service@.yaml" \\
    --stack-name "${stack}" \\
    --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM \\
    --parameter-overrides Environment="${ENVIRONMENT}" Owner=@service@ \\
    --no-fail-on-empty-changeset
  aws s3 sync "build/@noun@/" "s3://@service@-artifacts-${ACCOUNT_ID}/@noun@/" --delete --sse aws:kms
}
''',
    '''
wait_for_training_@n@() {
  local job="$1" status
  while true; do
    status=$(aws sagemaker describe-training-job --training-job-name "${job}" --query TrainingJobStatus --output text)
    case "${status}" in
      Completed) log "${job} completed"; return 0 ;;
      Failed|Stopped) log "${job} ${status}"; return 1 ;;
      *) sleep 30 ;;
    esac
  done
}
''',
    '''
push_image_@n@() {
  local repository="${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/@service@-@noun@"
  aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin "${repository%%/*}"
  docker build --pull -t "${repository}:${GIT_SHA:-latest}" -f "docker/@noun@.Dockerfile" .
  for tag in "${GIT_SHA:-latest}" "${ENVIRONMENT}"; do
    docker tag "${repository}:${GIT_SHA:-latest}" "${repository}:${tag}"
    docker push "${repository}:${tag}"
  done
}
''',
)

TF_SNIPPETS = (  # (HCL, resource type, an attribute worth an output)
    ('''
resource "aws_s3_bucket" "@noun@_@n@" {
  bucket = "${var.name_prefix}-@noun@-@n@"
  tags   = merge(var.tags, { Component = "@noun@" })
}

resource "aws_s3_bucket_versioning" "@noun@_@n@" {
  bucket = aws_s3_bucket.@noun@_@n@.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "@noun@_@n@" {
  bucket = aws_s3_bucket.@noun@_@n@.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "@noun@_@n@" {
  bucket                  = aws_s3_bucket.@noun@_@n@.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
''', "aws_s3_bucket", "arn"),
    ('''
resource "aws_iam_role" "@noun@_@n@" {
  name = "${var.name_prefix}-@noun@-@n@"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "@noun@_@n@" {
  name = "@noun@-access"
  role = aws_iam_role.@noun@_@n@.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::${var.name_prefix}-@noun@-@n@/*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
    ]
  })
}
''', "aws_iam_role", "arn"),
    ('''
resource "aws_lambda_function" "@noun@_@n@" {
  function_name = "${var.name_prefix}-@verb@-@noun@-@n@"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/build/@noun@.zip"
  timeout       = 30
  memory_size   = 256

  environment {
    variables = {
      TABLE_NAME = "@service@-@noun@"
      LOG_LEVEL  = var.log_level
    }
  }

  tracing_config {
    mode = "Active"
  }
}

resource "aws_cloudwatch_log_group" "@noun@_@n@" {
  name              = "/aws/lambda/${aws_lambda_function.@noun@_@n@.function_name}"
  retention_in_days = 30
  kms_key_id        = var.kms_key_arn
}
''', "aws_lambda_function", "arn"),
    ('''
resource "aws_security_group" "@noun@_@n@" {
  name_prefix = "${var.name_prefix}-@noun@-"
  description = "@Service@ @noun@ service"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.allowed_ports
    content {
      description = "port ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.allowed_cidrs
    }
  }

  egress {
    description = "all outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  lifecycle {
    create_before_destroy = true
  }
}
''', "aws_security_group", "id"),
    ('''
resource "aws_dynamodb_table" "@noun@_@n@" {
  name         = "${var.name_prefix}-@noun@-@n@"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
''', "aws_dynamodb_table", "arn"),
    ('''
resource "aws_sqs_queue" "@noun@_@n@_dlq" {
  name                      = "${var.name_prefix}-@noun@-@n@-dlq"
  message_retention_seconds = 1209600
  kms_master_key_id         = var.kms_key_arn
}

resource "aws_sqs_queue" "@noun@_@n@" {
  name                       = "${var.name_prefix}-@noun@-@n@"
  visibility_timeout_seconds = 180
  kms_master_key_id          = var.kms_key_arn
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.@noun@_@n@_dlq.arn
    maxReceiveCount     = 5
  })
}
''', "aws_sqs_queue", "url"),
)
TF_VARIABLES = '''variable "name_prefix" {
  description = "Prefix of every resource name"
  type        = string
  default     = "@service@"
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default     = { Team = "@service@", ManagedBy = "terraform" }
}

variable "kms_key_arn" {
  description = "The customer managed key for data at rest"
  type        = string
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "lambda_role_arn" {
  type    = string
  default = "arn:aws:iam::111122223333:role/@service@-lambda"
}

variable "allowed_ports" {
  type    = list(number)
  default = [443, 8443]
}

variable "allowed_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "log_level" {
  type    = string
  default = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}
'''
TF_VERSIONS = '''terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}
'''

# ---------------------------------------------------------------------------------------------------------
# Structured documents: CloudFormation resources in long form (YAML files get the short-form tags).


def tags(rng: random.Random) -> list[dict]:
    return [{"Key": "team", "Value": rng.choice(SERVICES)}, {"Key": "cost-center", "Value": str(rng.randint(100, 999))}]


def bucket(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": {
        "BucketName": {"Fn::Sub": f"{name.lower()}-${{AWS::AccountId}}-${{AWS::Region}}"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "LifecycleConfiguration": {"Rules": [{"Id": "expire", "Status": "Enabled",
                                              "ExpirationInDays": rng.choice([30, 90, 365])}]},
        "Tags": tags(rng)}}


def role(rng: random.Random, name: str) -> dict:
    statements = [{"Effect": "Allow", "Action": rng.sample(["s3:GetObject", "s3:PutObject", "s3:ListBucket",
                                                            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                                            "sqs:SendMessage", "sqs:ReceiveMessage",
                                                            "kms:Decrypt", "kms:GenerateDataKey"], 3),
                   "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{name.lower()}-{n}/*"}}
                  for n in range(rng.randint(1, 6))]
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": [
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],
        "Policies": [{"PolicyName": f"{name}Access", "PolicyDocument": {"Version": "2012-10-17",
                                                                         "Statement": statements}}],
        "Tags": tags(rng)}}


def function(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::Lambda::Function", "Properties": {
        "Runtime": rng.choice(["python3.12", "nodejs20.x"]), "Handler": "index.handler",
        "Role": {"Fn::GetAtt": [f"{name}Role", "Arn"]},
        "Code": {"S3Bucket": {"Fn::Sub": "cdk-assets-${AWS::AccountId}-${AWS::Region}"},
                 "S3Key": f"{rng.getrandbits(128):032x}.zip"},
        "Timeout": rng.choice([10, 30, 60, 300]), "MemorySize": rng.choice([128, 256, 512, 1024]),
        "TracingConfig": {"Mode": "Active"},
        "Environment": {"Variables": {"TABLE_NAME": {"Ref": f"{name}Table"}, "LOG_LEVEL": "INFO",
                                      "POWERTOOLS_SERVICE_NAME": name.lower()}},
        "Tags": tags(rng)}}


def dynamodb_table(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True}, "Tags": tags(rng)}}


def queue(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::SQS::Queue", "Properties": {
        "VisibilityTimeout": rng.choice([30, 180, 900]), "KmsMasterKeyId": "alias/aws/sqs",
        "MessageRetentionPeriod": 1209600, "Tags": tags(rng)}}


def log_group(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::Logs::LogGroup", "Properties": {
        "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{AWS::StackName}}-{name}"},
        "RetentionInDays": rng.choice([7, 14, 30, 90])}}


def security_group(rng: random.Random, name: str) -> dict:
    return {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": f"{name} service", "VpcId": {"Ref": "VpcId"},
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": "10.0.0.0/8"}
                                 for port in rng.sample([80, 443, 5432, 6379, 8080, 8443], 2)],
        "Tags": tags(rng)}}


CFN_BUILDERS: tuple[Callable[[random.Random, str], dict], ...] = (
    bucket, role, dynamodb_table, queue, log_group, security_group)


def cfn_resources(rng: random.Random, count: int, stem: str) -> dict:
    """`count` groups of resources; a function comes with its role and table, as it refers to them."""
    resources: dict = {}
    for n in range(count):
        name = f"{stem}{rng.choice(NOUNS).title()}{n}"
        if rng.random() < 0.3:
            resources[f"{name}Role"] = role(rng, f"{name}Role")
            resources[f"{name}Table"] = dynamodb_table(rng, f"{name}Table")
            resources[name] = function(rng, name)
        else:
            resources[name] = rng.choice(CFN_BUILDERS)(rng, name)
    return resources


def cfn_template(rng: random.Random, resources: dict, description: str) -> dict:
    outputs = {f"{name}Id": {"Value": {"Ref": name}, "Export": {"Name": {"Fn::Sub": f"${{AWS::StackName}}-{name}"}}}
               for name in list(resources)[:5]}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Description": description,
            "Parameters": {"Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"],
                                           "Default": "dev"},
                           "VpcId": {"Type": "AWS::EC2::VPC::Id", "Default": "vpc-0123456789abcdef0"}},
            "Resources": resources, "Outputs": outputs}


@dataclass(frozen=True)
class Short:
    """A CloudFormation short form in YAML: `!Ref x`, `!GetAtt a.b`, `!Sub s`."""

    tag: str
    value: str


class CfnDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


CfnDumper.add_representer(Short, lambda dumper, short: dumper.represent_scalar(short.tag, short.value))


def short_forms(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "Ref":
                return Short("!Ref", inner)
            if key == "Fn::Sub" and isinstance(inner, str):
                return Short("!Sub", inner)
            if key == "Fn::GetAtt":
                return Short("!GetAtt", ".".join(inner))
        return {key: short_forms(item) for key, item in value.items()}
    if isinstance(value, list):
        return [short_forms(item) for item in value]
    return value


def dump_yaml(document: Any) -> str:
    return yaml.dump(short_forms(document), Dumper=CfnDumper, sort_keys=False, width=120)


def sam_template(rng: random.Random, index: int) -> dict:
    resources: dict = {"Table": {"Type": "AWS::Serverless::SimpleTable",
                                 "Properties": {"PrimaryKey": {"Name": "id", "Type": "String"}}}}
    for n in range(rng.randint(2, 12)):
        noun = rng.choice(NOUNS)
        resources[f"{noun.title()}{rng.choice(VERBS).title()}{n}Function"] = {
            "Type": "AWS::Serverless::Function", "Properties": {
                "CodeUri": f"src/{noun}/", "Handler": f"app.{rng.choice(VERBS)}_{noun}",
                "Description": f"{noun} API handler",
                "Events": {"Api": {"Type": "Api", "Properties": {"Path": f"/{noun}s/{{id}}/v{n}",
                                                                 "Method": rng.choice(["get", "post", "put"])}}},
                "Policies": [{"DynamoDBCrudPolicy": {"TableName": {"Ref": "Table"}}}]}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            "Description": f"SAM application {index}",
            "Globals": {"Function": {"Timeout": 30, "Runtime": "python3.12", "MemorySize": 256, "Tracing": "Active",
                                     "Environment": {"Variables": {"TABLE_NAME": {"Ref": "Table"}}}}},
            "Resources": resources,
            "Outputs": {"ApiUrl": {"Value": {"Fn::Sub": "https://${ServerlessRestApi}.execute-api."
                                                        "${AWS::Region}.amazonaws.com/Prod/"}}}}


def state_machine(rng: random.Random) -> dict:
    names = [f"{rng.choice(VERBS).title()}{rng.choice(NOUNS).title()}{n}" for n in range(rng.randint(4, 30))]
    done = names[-1]
    states: dict = {done: {"Type": "Succeed"}}
    for name, following in itertools.pairwise(names):
        if rng.random() < 0.2:
            states[name] = {"Type": "Choice", "Default": following,
                            "Choices": [{"Variable": "$.status", "StringEquals": "SKIP", "Next": done}]}
            continue
        states[name] = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
                        "Parameters": {"FunctionName": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}",
                                       "Payload.$": "$"},
                        "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                                   "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2}],
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": done}], "Next": following}
    return {"Comment": "order processing workflow", "StartAt": names[0], "States": states}


def k8s_manifests(rng: random.Random, index: int) -> list[dict]:
    service, noun = rng.choice(SERVICES), rng.choice(NOUNS)
    name = f"{service}-{noun}"
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": service}
    config = "\n".join(f"{noun}.setting{n}: value-{rng.randint(0, 10**6)}" for n in range(rng.randint(5, 60)))
    container = {"name": noun, "image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}:1.{index}.0",
                 "ports": [{"containerPort": 8080, "name": "http"}],
                 "env": [{"name": "LOG_LEVEL", "value": "info"},
                         {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": name, "key": "password"}}}],
                 "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
                 "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 10},
                 "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}, "initialDelaySeconds": 15},
                 "securityContext": {"runAsNonRoot": True, "readOnlyRootFilesystem": True,
                                     "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}
    documents = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels},
         "data": {"application.properties": config}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels}, "spec": {
            "replicas": rng.randint(1, 6), "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"serviceAccountName": name,
                                                                   "containers": [container]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
         "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": "http"}]}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name}, "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": 2, "maxReplicas": 10,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                                   "averageUtilization": 70}}}]}},
    ]
    if rng.random() < 0.2:  # a SageMaker controller resource that is not a labeling job
        documents.append({"apiVersion": "sagemaker.services.k8s.aws/v1alpha1", "kind": "TrainingJob",
                          "metadata": {"name": f"{name}-train"}, "spec": {
                              "trainingJobName": f"{name}-train", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/{name}",
                              "algorithmSpecification": {"trainingImage": container["image"],
                                                         "trainingInputMode": "File"},
                              "outputDataConfig": {"s3OutputPath": f"s3://{service}-models/{noun}/"},
                              "resourceConfig": {"instanceType": "ml.m5.xlarge", "instanceCount": 1,
                                                 "volumeSizeInGB": 30},
                              "stoppingCondition": {"maxRuntimeInSeconds": 3600}}})
    return documents


def notebook(rng: random.Random, index: int) -> dict:
    cells: list[dict] = [{"cell_type": "markdown", "metadata": {},
                          "source": [f"# {rng.choice(SERVICES).title()} analysis {index}\n", "\n",
                                     "Exploration of last week's data."]}]
    for count in range(snippet_count(rng, 6, 30)):
        code = fill(PY_HEADER, words(rng, index)) if count == 0 else snippets(rng, PY_SNIPPETS, 1, index * 100 + count)
        outputs: list[dict] = [{"output_type": "stream", "name": "stdout",
                                "text": [f"row {n}: {rng.random():.6f}\n" for n in range(rng.randint(0, 40))]}]
        if rng.random() < 0.3:
            rows = "".join(f"<tr><td>{n}</td><td>{rng.random():.4f}</td></tr>" for n in range(rng.randint(5, 50)))
            outputs.append({"output_type": "execute_result", "execution_count": count + 1, "metadata": {},
                            "data": {"text/plain": ["<DataFrame>"], "text/html": [f"<table>{rows}</table>"]}})
        if rng.random() < 0.1:
            image = base64.b64encode(rng.randbytes(rng.randint(5_000, 60_000))).decode()
            outputs.append({"output_type": "display_data", "metadata": {},
                            "data": {"image/png": image, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}})
        cells.append({"cell_type": "code", "execution_count": count + 1, "metadata": {}, "outputs": outputs,
                      "source": code.splitlines(keepends=True)})
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"}}}


def json_document(rng: random.Random, index: int) -> tuple[str, Any]:
    """A file name and one of: package.json, tsconfig.json, a training-job request, a data file."""
    choice = rng.randrange(4)
    if choice == 0:
        dependencies = {f"@{rng.choice(SERVICES)}/{noun}": f"^{rng.randint(1, 9)}.{rng.randint(0, 20)}.0"
                        for noun in rng.sample(NOUNS, 6)}
        return "package.json", {"name": f"{rng.choice(SERVICES)}-{index}", "version": "1.0.0", "private": True,
                                "scripts": {"build": "tsc -p .", "test": "jest", "lint": "eslint src"},
                                "dependencies": dependencies, "devDependencies": {"typescript": "^5.4.0"}}
    if choice == 1:
        return "tsconfig.json", {"compilerOptions": {"target": "ES2022", "module": "NodeNext", "strict": True,
                                                     "outDir": "dist", "jsx": "react-jsx", "esModuleInterop": True},
                                 "include": ["src"]}
    if choice == 2:
        service, noun = rng.choice(SERVICES), rng.choice(NOUNS)
        return f"training-{index}.json", {
            "TrainingJobName": f"{service}-{noun}-{index}", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/SageMakerTraining",
            "AlgorithmSpecification": {"TrainingImage": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{noun}:latest",
                                       "TrainingInputMode": "File"},
            "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": f"s3://{service}-data/{noun}/train/"}}}],
            "OutputDataConfig": {"S3OutputPath": f"s3://{service}-models/", "KmsKeyId": f"alias/{service}"},
            "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}
    return f"{rng.choice(NOUNS)}s-{index}.json", [
        {"id": f"{rng.getrandbits(64):016x}", "score": round(rng.random(), 4), "name": rng.choice(NOUNS),
         "tags": rng.sample(SERVICES, 3)} for _ in range(rng.randint(20, 600))]


def yaml_document(rng: random.Random, index: int) -> tuple[str, Any]:
    """A file name and one of: a GitHub workflow, a compose file, an OpenAPI description."""
    choice = rng.randrange(3)
    if choice == 0:
        steps = [{"uses": "actions/checkout@v4"},
                 {"uses": "actions/setup-python@v5", "with": {"python-version": "3.12"}},
                 *({"name": f"step {n}", "run": f"make {rng.choice(VERBS)}-{rng.choice(NOUNS)}"}
                   for n in range(rng.randint(2, 10)))]
        return f"ci-{index}.yml", {"name": "ci", "on": {"push": {"branches": ["main"]}, "pull_request": {}},
                                   "jobs": {"build": {"runs-on": "ubuntu-latest", "steps": steps}}}
    if choice == 1:
        return "docker-compose.yml", {"services": {
            noun: {"image": f"{rng.choice(SERVICES)}/{noun}:latest", "ports": [f"{8000 + n}:8080"],
                   "environment": {"LOG_LEVEL": "debug"}, "depends_on": ["db"]}
            for n, noun in enumerate(rng.sample(NOUNS, 4))} | {"db": {"image": "postgres:16"}}}
    response = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/x"}}}}
    paths = {f"/{noun}s/{{id}}/v{n}": {"get": {"operationId": f"get{noun.title()}{n}", "responses": {"200": response}}}
             for n, noun in enumerate(rng.choices(NOUNS, k=rng.randint(5, 60)))}
    return f"openapi-{index}.yaml", {"openapi": "3.0.3", "info": {"title": rng.choice(SERVICES), "version": "1.0"},
                                     "paths": paths, "components": {"schemas": {
                                         noun: {"type": "object", "properties": {"id": {"type": "string"}}}
                                         for noun in NOUNS}}}


# ---------------------------------------------------------------------------------------------------------
# The corpus: units of one kind each (one file, or a folder such as a Terraform module), written in order.


@dataclass
class Unit:
    files: list[Path]
    iac: list[Path] = field(default_factory=list)  # copied to the Checkov folder (keeping the unit's layout)
    templates: list[Path] = field(default_factory=list)  # CloudFormation and SAM templates, for cfn-lint


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def python_unit(rng: random.Random, folder: Path, index: int, script: bool) -> Unit:
    text = fill(PY_HEADER, words(rng, index)) + snippets(rng, PY_SNIPPETS, snippet_count(rng, 7, 60), index * 100)
    if script:
        text += fill(PY_MAIN, words(rng, index))
        return Unit([write(folder / "scripts" / f"{rng.choice(VERBS)}_{index}.py", text)])
    return Unit([write(folder / "src" / f"{rng.choice(NOUNS)}_{index}.py", text)])


def javascript_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    text = fill(JS_HEADER, words(rng, index)) + snippets(rng, JS_SNIPPETS, snippet_count(rng, 5, 40), index * 100)
    return Unit([write(folder / "lambda" / f"{rng.choice(NOUNS)}-{index}.{rng.choice(['js', 'js', 'cjs'])}", text)])


def typescript_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    react = rng.random() < 0.4
    body = snippets(rng, (TSX_SNIPPET,) if react else TS_SNIPPETS, snippet_count(rng, 4, 30), index * 100)
    name = f"{rng.choice(NOUNS)}-{index}.{'tsx' if react else rng.choice(['ts', 'ts', 'mts'])}"
    return Unit([write(folder / "web" / name, fill(TS_HEADER, words(rng, index)) + body)])


def shell_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    body = snippets(rng, SHELL_SNIPPETS, snippet_count(rng, 3, 20), index * 100)
    calls = "".join(f"  {line.split('(')[0]}\n" for line in body.splitlines() if line.endswith("() {"))
    text = fill(SHELL_HEADER, words(rng, index)) + body + f"\nmain() {{\n{calls}}}\n\nmain \"$@\"\n"
    return Unit([write(folder / "bin" / f"{rng.choice(VERBS)}-{index}.{rng.choice(['sh', 'sh', 'bash'])}", text)])


def cfn_unit(rng: random.Random, folder: Path, index: int, as_json: bool) -> Unit:
    document = cfn_template(rng, cfn_resources(rng, snippet_count(rng, 8, 80), "App"), f"{rng.choice(SERVICES)} stack")
    if as_json:
        path = write(folder / "templates" / f"stack-{index}.json", json.dumps(document, indent=2))
    else:
        path = write(folder / "templates" / f"stack-{index}.{rng.choice(['yaml', 'yaml', 'yml', 'template'])}",
                     dump_yaml(document))
    return Unit([path], [path], [path])


def sam_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    path = write(folder / f"sam-{index}" / "template.yaml", dump_yaml(sam_template(rng, index)))
    return Unit([path], [path], [path])


def large_template_unit(rng: random.Random, folder: Path, index: int, kib: int) -> Unit:
    """A cdk.out folder: a template of about `kib` KiB (CDK's logical ids, metadata), manifest.json, tree.json."""
    stack, resources, size = f"Platform{index}Stack", {}, 0
    while size < kib * 1024:
        for name, resource in cfn_resources(rng, 1, f"{stack}{rng.getrandbits(32):08X}").items():
            resource["Metadata"] = {"aws:cdk:path": f"{stack}/{name}/Resource"}
            resources[name] = resource
            text = json.dumps({name: resource}, indent=1)
            size += len(text) + text.count("\n")  # its lines are indented once more in the template
    resources["CDKMetadata"] = {"Type": "AWS::CDK::Metadata", "Properties": {
        "Analytics": "v2:deflate64:" + base64.b64encode(rng.randbytes(1500)).decode()}}
    document = cfn_template(rng, resources, "cdk synth output")
    document["Parameters"]["BootstrapVersion"] = {"Type": "AWS::SSM::Parameter::Value<String>",
                                                  "Default": "/cdk-bootstrap/hnb659fds/version"}
    out = folder / "cdk.out"
    template = write(out / f"{stack}.template.json", json.dumps(document, indent=1))
    manifest = write(out / "manifest.json", json.dumps({"version": "36.0.0", "artifacts": {stack: {
        "type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
        "properties": {"templateFile": template.name}}}}, indent=2))
    children = {name: {"id": name, "path": resource["Metadata"]["aws:cdk:path"]}
                for name, resource in resources.items() if "Metadata" in resource}
    tree = write(out / "tree.json", json.dumps({"version": "tree-0.1", "tree": {"id": "App", "path": "", "children": {
        stack: {"id": stack, "path": stack, "children": children}}}}, indent=2))
    return Unit([template, manifest, tree], [template], [template])


def terraform_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    module = folder / "infra" / "modules" / f"{rng.choice(NOUNS)}-{index}"
    blocks, outputs = [], []
    for part in range(snippet_count(rng, 4, 20)):
        text, kind, attribute = rng.choice(TF_SNIPPETS)
        values = words(rng, index * 100 + part)
        name = fill("@noun@_@n@", values)
        blocks.append(fill(text, values))
        outputs.append(f'output "{name}_{attribute}" {{\n  value = {kind}.{name}.{attribute}\n}}\n')
    files = [write(module / "main.tf", "".join(blocks).lstrip()),
             write(module / "variables.tf", fill(TF_VARIABLES, words(rng, index))),
             write(module / "outputs.tf", "\n".join(outputs))]
    if rng.random() < 0.4:
        files.append(write(module / "versions.tf", TF_VERSIONS))
    return Unit(files, files)


def kubernetes_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    path = write(folder / "k8s" / f"{rng.choice(SERVICES)}-{index}.yaml",
                 yaml.safe_dump_all(k8s_manifests(rng, index), sort_keys=False, width=120))
    return Unit([path], [path])


def notebook_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    return Unit([write(folder / "notebooks" / f"analysis-{index}.ipynb", json.dumps(notebook(rng, index), indent=1))])


def asl_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    return Unit([write(folder / "statemachines" / f"workflow-{index}.asl.json",
                       json.dumps(state_machine(rng), indent=2))])


def json_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    name, document = json_document(rng, index)
    return Unit([write(folder / f"config-{index}" / name, json.dumps(document, indent=2))])


def yaml_unit(rng: random.Random, folder: Path, index: int) -> Unit:
    name, document = yaml_document(rng, index)
    return Unit([write(folder / f"config-{index}" / name, yaml.safe_dump(document, sort_keys=False, width=120))])


Writer = Callable[[random.Random, Path, int], Unit]


@dataclass(frozen=True)
class Kind:
    weight: float  # chance of a unit being of this kind
    writer: Writer
    forms: tuple[str, ...]  # the fixture folders its labeling-job units are copied from
    suffixes: tuple[str, ...] = ()  # of those fixtures (all, if empty)
    host: str = ""  # "cloudformation", "terraform", "kubernetes": what Checkov (and cfn-lint) read of it


KINDS = {
    "python module": Kind(0.10, lambda rng, folder, index: python_unit(rng, folder, index, False), ("python",)),
    "python script": Kind(0.08, lambda rng, folder, index: python_unit(rng, folder, index, True), ("python",)),
    "notebook": Kind(0.05, notebook_unit, ("notebook",)),
    "javascript": Kind(0.07, javascript_unit, ("javascript",), (".js", ".mjs")),
    "typescript": Kind(0.08, typescript_unit, ("javascript",), (".ts",)),
    "shell": Kind(0.05, shell_unit, ("aws_cli",)),
    "cloudformation yaml": Kind(0.07, lambda rng, folder, index: cfn_unit(rng, folder, index, False),
                                ("cloudformation",), (".yaml",), "cloudformation"),
    "cloudformation json": Kind(0.03, lambda rng, folder, index: cfn_unit(rng, folder, index, True),
                                ("cloudformation",), (".json",), "cloudformation"),
    "sam": Kind(0.04, sam_unit, ("sam",), (), "cloudformation"),
    "stepfunctions": Kind(0.03, asl_unit, ("stepfunctions",)),
    "terraform module": Kind(0.045, terraform_unit, ("terraform",), (), "terraform"),
    "kubernetes": Kind(0.07, kubernetes_unit, ("kubernetes",), (), "kubernetes"),
    "json document": Kind(0.09, json_unit, ("request_document", "terraform_plan"), (".json",)),
    "yaml document": Kind(0.04, yaml_unit, ("request_document",), (".yaml",)),
}


@functools.cache
def fixture_choices(kind: Kind) -> list[Path]:
    """The fixtures a labeling-job unit of `kind` may copy: files, or folders (Terraform modules, CLI scripts
    with their request files). SAM templates whose definition is a file of their own are left out."""
    choices = []
    for form in kind.forms:
        for path in sorted((FIXTURES / form).iterdir()):
            if path.is_dir():
                if form in ("terraform", "aws_cli"):
                    choices.append(path)
            elif path.name.endswith(kind.suffixes or ("",)) and "DefinitionUri" not in path.read_text("utf-8"):
                choices.append(path)
    return choices


def fixture_unit(rng: random.Random, folder: Path, index: int, kind: Kind) -> Unit:
    source = rng.choice(fixture_choices(kind))
    target = folder / f"jobs-{index}" / source.name
    if source.is_dir():
        shutil.copytree(source, target)
        files = sorted(path for path in target.rglob("*") if path.is_file())
    else:
        target.parent.mkdir(parents=True)
        files = [Path(shutil.copyfile(source, target))]
    templates = files if kind.host == "cloudformation" else []
    return Unit(files, files if kind.host else [], templates)


@dataclass
class Corpus:
    root: Path
    units: list[Unit] = field(default_factory=list)
    fixture_units: int = 0  # units copied from fixtures (labeling jobs, mostly)

    @property
    def files(self) -> list[Path]:
        return [path for unit in self.units for path in unit.files]

    def mib(self, paths: list[Path] | None = None) -> float:
        return sum(path.stat().st_size for path in (self.files if paths is None else paths)) / MIB


def generate(root: Path, files: int, seed: int, jobs_percent: float, large_kib: int) -> Corpus:
    """About `files` files (the last unit may add a few); the same `seed` gives the same corpus, and a smaller
    one is the beginning of a larger one."""
    rng = random.Random(seed)
    corpus, written, large = Corpus(root), 0, 0
    names, weights = list(KINDS), [kind.weight for kind in KINDS.values()]
    while written < files:
        index = len(corpus.units)
        folder = root / f"project-{index // 150:03d}"
        if written >= LARGE_TEMPLATE_EVERY * large:
            unit = large_template_unit(rng, folder, index, large_kib)
            large += 1
        else:
            kind = KINDS[rng.choices(names, weights)[0]]
            if rng.random() * 100 < jobs_percent:
                unit = fixture_unit(rng, folder, index, kind)
                corpus.fixture_units += 1
            else:
                unit = kind.writer(rng, folder, index)
        corpus.units.append(unit)
        written += len(unit.files)
    return corpus


def iac_folder(corpus: Corpus, target: Path) -> tuple[list[Path], list[Path]]:
    """Copies the corpus's IaC files to `target`; returns the copies, and the templates among them."""
    def copy(path: Path) -> Path:
        destination = target / path.relative_to(corpus.root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copyfile(path, destination))

    copies = {path: copy(path) for unit in corpus.units for path in unit.iac}
    return list(copies.values()), [copies[path] for unit in corpus.units for path in unit.templates]


# ---------------------------------------------------------------------------------------------------------
# Running and measuring processes.


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float
    exit_code: int


def run_once(command: list[str], output: Path, timeout: float, env: dict[str, str]) -> Run:
    """Runs `command` with stdout to `output` (stderr next to it); killed with its process group after `timeout`."""
    timed_out = threading.Event()

    def kill(pid: int) -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):  # it ended just now
            os.killpg(pid, signal.SIGKILL)

    with open(output, "wb") as out, open(output.with_suffix(".stderr"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, start_new_session=True)
        timer = threading.Timer(timeout, kill, (process.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if timed_out.is_set():
        raise TimeoutError(f"{command[0]} did not finish in {timeout:.0f} s: {' '.join(command[:6])} ...")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode)


@dataclass(frozen=True)
class Measurement:
    seconds: float  # median
    peak_rss_mib: float  # the largest of the runs
    exit_code: int  # of the last run
    runs: list[float]


def measure(command: list[str], output: Path, runs: int, timeout: float, env: dict[str, str]) -> Measurement:
    results = [run_once(command, output, timeout, env) for _ in range(runs)]
    return Measurement(statistics.median(run.seconds for run in results), max(run.peak_rss_mib for run in results),
                       results[-1].exit_code, [round(run.seconds, 3) for run in results])


def tool(name: str) -> str:
    """A console script of this interpreter's environment (the venv gtlint is installed in), or on PATH."""
    found = shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed")
    return found


BARE_PARSE = r'''
import ast, json, os, sys
import hcl2, yaml


class Loader(yaml.CSafeLoader):
    pass


def tagged(loader, suffix, node):  # CloudFormation's !Ref, !Sub, ...: their plain value
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


Loader.add_multi_constructor("!", tagged)
PARSERS = {".py": ast.parse, ".json": json.loads, ".ipynb": json.loads, ".tf": hcl2.loads,
           ".yaml": lambda text: list(yaml.load_all(text, Loader=Loader))}
PARSERS[".yml"] = PARSERS[".template"] = PARSERS[".yaml"]
READ_ONLY = (".sh", ".bash", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
counts = {}
for directory, folders, names in os.walk(sys.argv[1]):
    folders.sort()
    for name in sorted(names):
        suffix = os.path.splitext(name)[1]
        if suffix in PARSERS or suffix in READ_ONLY:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                text = handle.read()
            if suffix in PARSERS:
                PARSERS[suffix](text)
            counts[suffix] = counts.get(suffix, 0) + 1
print(json.dumps(counts))
'''


# ---------------------------------------------------------------------------------------------------------
# The measurements.


@dataclass
class Context:
    work: Path
    runs: int
    timeout: float
    env: dict[str, str]
    problems: list[str] = field(default_factory=list)  # anything that makes a figure doubtful


def gtlint_scan(context: Context, folder: Path, label: str) -> tuple[Measurement, dict]:
    report = context.work / f"gtlint-{label}.json"
    command = [tool("gtlint"), "scan", str(folder), "--format", "json", "--output", str(report)]
    measurement = measure(command, context.work / f"gtlint-{label}.out", context.runs, context.timeout, context.env)
    try:
        document = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        context.problems.append(f"gtlint on {label}: no JSON report (exit {measurement.exit_code}): {error}")
        return measurement, {}
    summary = document["summary"]
    if measurement.exit_code not in (0, 1) or summary["file_errors"]:
        shown = "; ".join(f"{item['file']}: {item['message']}" for item in document["errors"][:5])
        context.problems.append(f"gtlint on {label}: exit {measurement.exit_code}, "
                                f"{summary['file_errors']} unreadable files: {shown}")
    return measurement, summary


def bare_parse(context: Context, folder: Path, label: str) -> tuple[Measurement, dict]:
    output = context.work / f"parse-{label}.out"
    measurement = measure([sys.executable, "-c", BARE_PARSE, str(folder)], output, context.runs, context.timeout,
                          context.env)
    if measurement.exit_code:
        context.problems.append(f"bare parse of {label} failed: {output.with_suffix('.stderr').read_text()[-500:]}")
        return measurement, {}
    return measurement, json.loads(output.read_text())


def checkov(context: Context, folder: Path, pack: bool) -> tuple[Measurement, dict]:
    output = context.work / f"checkov-{'pack' if pack else 'bare'}.out"
    command = [tool("checkov"), "-d", str(folder), "--framework", "cloudformation", "terraform", "kubernetes",
               "--quiet", "--compact", "-o", "json", "--skip-download"]
    if pack:
        command += ["--external-checks-dir", plugin_path("checkov")]
    measurement = measure(command, output, context.runs, context.timeout, context.env)
    try:
        document = json.loads(output.read_text())
    except ValueError:
        context.problems.append(f"Checkov (pack: {pack}) wrote no JSON, exit {measurement.exit_code}: "
                                f"{output.with_suffix('.stderr').read_text()[-500:]}")
        return measurement, {}
    reports = document if isinstance(document, list) else [document]
    totals = {name: sum(report.get("summary", {}).get(key, 0) for report in reports)
              for name, key in (("resources", "resource_count"), ("passed", "passed"), ("failed", "failed"),
                                ("parsing_errors", "parsing_errors"))}
    failed = [result for report in reports for result in report.get("results", {}).get("failed_checks", [])]
    return measurement, {**totals, "pack_failed": sum(result["check_id"].startswith("CKV_GTL_") for result in failed)}


def cfn_lint(context: Context, templates: list[Path], pack: bool) -> tuple[Measurement, dict]:
    output = context.work / f"cfn-lint-{'pack' if pack else 'bare'}.out"
    command = [tool("cfn-lint"), "--format", "json"]
    if pack:
        command.append(f"--append-rules={plugin_path('cfn-lint')}")
    measurement = measure([*command, "--", *map(str, templates)], output, context.runs, context.timeout, context.env)
    try:
        matches = json.loads(output.read_text())
    except ValueError:
        context.problems.append(f"cfn-lint (pack: {pack}) wrote no JSON, exit {measurement.exit_code}: "
                                f"{output.with_suffix('.stderr').read_text()[-500:]}")
        return measurement, {}
    rules = [match["Rule"]["Id"] for match in matches]
    return measurement, {"matches": len(rules), "pack_matches": sum(rule[1:3] == "91" for rule in rules),
                         "template_errors": sum(rule in ("E0000", "E0001") for rule in rules)}


def plugin_path(host: str) -> str:
    return subprocess.run([tool("gtlint"), "plugin-path", host], check=True, capture_output=True, text=True,
                          timeout=120).stdout.strip()


def iam(context: Context, roles: int, statements: int) -> dict:
    output = context.work / "iam.out"
    command = [sys.executable, str(BENCH / "bench_iam.py"), "--roles", str(roles), "--statements", str(statements),
               "--runs", str(context.runs)]
    run = run_once(command, output, context.timeout * max(context.runs, 1), context.env)
    if run.exit_code:
        context.problems.append(f"bench_iam.py failed: {output.with_suffix('.stderr').read_text()[-500:]}")
        return {}
    return {**json.loads(output.read_text().splitlines()[-1]), "peak_rss_mib": round(run.peak_rss_mib, 1)}


def figures(measurement: Measurement) -> dict:
    return {"seconds": round(measurement.seconds, 3), "peak_rss_mib": round(measurement.peak_rss_mib, 1),
            "runs": measurement.runs}


def scan_sizes(context: Context, corpora: dict[int, Corpus]) -> tuple[list[dict], dict]:
    empty = context.work / "empty"
    empty.mkdir()
    startup, _ = gtlint_scan(context, empty, "empty")
    rows, before = [], (0, startup.seconds)  # files read and seconds of the next smaller scan
    for size, corpus in corpora.items():
        gtlint, summary = gtlint_scan(context, corpus.root, str(size))
        parse, counts = bare_parse(context, corpus.root, str(size))
        read = summary.get("files", 0)
        added = read - before[0]
        incremental = round((gtlint.seconds - before[1]) / added * 1000, 3) if added > 0 else None
        before = (read, gtlint.seconds)
        if counts and read != sum(counts.values()):
            context.problems.append(f"N={size}: gtlint read {read} files, the bare parse {sum(counts.values())}")
        rows.append({
            "files": len(corpus.files), "files_read": read, "mib": round(corpus.mib(), 1),
            "fixture_units": corpus.fixture_units,
            "requests": summary.get("requests"), "findings": {level: summary.get(level) for level in
                                                              ("error", "warning", "note")},
            "unreadable_files": summary.get("file_errors"),
            "gtlint": figures(gtlint),
            "seconds_per_1000_files": round(gtlint.seconds / read * 1000, 3) if read else None,
            "incremental_seconds_per_1000_files": incremental,
            "bare_parse": {**figures(parse), "files_by_suffix": counts},
            "ratio_to_bare_parse": round(gtlint.seconds / parse.seconds, 2),
        })
    scaling = {"gtlint_startup_seconds": round(startup.seconds, 3)}
    for name in ("seconds_per_1000_files", "incremental_seconds_per_1000_files"):
        costs = [row[name] for row in rows if row[name] and row[name] > 0]
        scaling[f"{name}_largest_over_smallest"] = round(max(costs) / min(costs), 2) if costs else None
    return rows, scaling


def iac_hosts(context: Context, corpus: Corpus) -> dict:
    folder = context.work / "iac"
    files, templates = iac_folder(corpus, folder)
    gtlint, summary = gtlint_scan(context, folder, "iac")
    runs = {"checkov": checkov(context, folder, False), "checkov_with_pack": checkov(context, folder, True),
            "cfn_lint": cfn_lint(context, templates, False), "cfn_lint_with_pack": cfn_lint(context, templates, True)}
    checks = {name: runs[name][1].get("passed", 0) + runs[name][1].get("failed", 0)
              for name in ("checkov", "checkov_with_pack")}
    if checks["checkov_with_pack"] <= checks["checkov"]:
        context.problems.append("Checkov ran no more checks with the pack than without: is it loaded?")
    if not runs["cfn_lint_with_pack"][1].get("pack_matches"):
        context.problems.append("cfn-lint with the pack reported no E/W/I91xx: no failing job, or not loaded?")
    return {"from_corpus_of": len(corpus.files), "files": len(files), "templates": len(templates),
            "mib": round(corpus.mib(files), 1), "gtlint": {**figures(gtlint), "requests": summary.get("requests")},
            **{name: {**figures(measurement), **outcome} for name, (measurement, outcome) in runs.items()}}


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    limit: float
    at_most: bool  # the value must be at most the limit (else at least)

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    @property
    def margin(self) -> float:
        """How far inside (positive) or outside (negative) the limit."""
        return self.limit - self.value if self.at_most else self.value - self.limit


def targets(scans: list[dict], iac: dict) -> list[Target]:
    found = [Target(f"gtlint / bare parse, N={row['files']}", row["ratio_to_bare_parse"], 3.0, True) for row in scans]
    largest = max(scans, key=lambda row: row["files"])
    found.append(Target(f"gtlint peak MiB, N={largest['files']}", largest["gtlint"]["peak_rss_mib"], 250.0, True))
    seconds = {name: iac[name]["seconds"] for name in ("gtlint", "checkov", "checkov_with_pack", "cfn_lint",
                                                        "cfn_lint_with_pack")}
    return [*found,
            Target("Checkov with pack / without", round(seconds["checkov_with_pack"] / seconds["checkov"], 3),
                   1.10, True),
            Target("cfn-lint with pack / without", round(seconds["cfn_lint_with_pack"] / seconds["cfn_lint"], 3),
                   1.10, True),
            Target("Checkov with pack / gtlint (IaC)", round(seconds["checkov_with_pack"] / seconds["gtlint"], 1),
                   10.0, False)]


def machine() -> dict:
    model = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    return {"cpus": os.cpu_count(), "cpu": model or "unknown", "python": platform.python_version(),
            "os": platform.platform()}


# ---------------------------------------------------------------------------------------------------------
# Output.


def render(results: dict) -> str:
    lines = [f"machine: {results['machine']['cpus']} CPUs, {results['machine']['cpu']}, "
             f"Python {results['machine']['python']}, {results['machine']['os']}",
             "settings: " + ", ".join(f"{key} {value}" for key, value in results["settings"].items()), "",
             "gtlint scan (median wall time, peak RSS) and a bare parse of the same files, each its own process",
             "(fixtures: units copied from fixtures/, a few of which hold no job or several; incr: extra seconds "
             "per extra 1,000 files)",
             f"{'files':>7} {'read':>7} {'MiB':>7} {'fixtures':>8} {'requests':>8} {'unread':>6} {'gtlint s':>9} "
             f"{'s/1k':>7} {'incr s/1k':>9} {'MiB RSS':>8} {'parse s':>8} {'MiB RSS':>8} {'ratio':>6}"]
    for row in results["gtlint_scan"]:
        lines.append(f"{row['files']:>7} {row['files_read']:>7} {row['mib']:>7} {row['fixture_units']:>8} "
                     f"{row['requests']!s:>8} {row['unreadable_files']!s:>6} {row['gtlint']['seconds']:>9.2f} "
                     f"{row['seconds_per_1000_files']!s:>7} {row['incremental_seconds_per_1000_files']!s:>9} "
                     f"{row['gtlint']['peak_rss_mib']:>8} {row['bare_parse']['seconds']:>8.2f} "
                     f"{row['bare_parse']['peak_rss_mib']:>8} {row['ratio_to_bare_parse']:>5}x")
    scaling = results["scaling"]
    lines += [f"start-up (gtlint scan of an empty folder): {scaling['gtlint_startup_seconds']} s; per-file cost, "
              f"largest over smallest: {scaling['seconds_per_1000_files_largest_over_smallest']} (s/1k), "
              f"{scaling['incremental_seconds_per_1000_files_largest_over_smallest']} (incr; linear: about 1)", ""]
    iac = results["iac"]
    lines += [f"IaC files of the corpus of {iac['from_corpus_of']} files: {iac['files']} files, {iac['mib']} MiB, "
              f"{iac['templates']} CloudFormation/SAM templates",
              f"{'':<20} {'seconds':>8} {'MiB RSS':>8}  output"]
    for name, detail in (("gtlint", f"{iac['gtlint']['requests']} requests"),
                         ("checkov", "{resources} resources, {passed} passed, {failed} failed, "
                                     "{parsing_errors} parsing errors"),
                         ("checkov_with_pack", "{resources} resources, {passed} passed, {failed} failed "
                                               "({pack_failed} CKV_GTL), {parsing_errors} parsing errors"),
                         ("cfn_lint", "{templates} templates, {matches} matches, {template_errors} E0000/E0001"),
                         ("cfn_lint_with_pack", "{templates} templates, {matches} matches ({pack_matches} x91xx)")):
        values = {"templates": iac["templates"], **iac[name]}
        try:
            shown = detail.format(**values)
        except KeyError:
            shown = "no output"
        lines.append(f"{name:<20} {iac[name]['seconds']:>8.2f} {iac[name]['peak_rss_mib']:>8}  {shown}")
    lines += ["", "IAM (tests/bench/bench_iam.py): " + ", ".join(f"{key} {value:.4g}" if isinstance(value, float)
                                                                 else f"{key} {value}"
                                                                 for key, value in results["iam"].items()), "",
              "targets"]
    for target in results["targets"]:
        relation = "<=" if target["at_most"] else ">="
        lines.append(f"  {target['name']:<36} {target['value']:>7}x {relation} {target['limit']}x  "
                     f"{'met   ' if target['met'] else 'MISSED'}  margin {target['margin']:+.3g}x "
                     f"({target['margin_of_limit']:+.0%} of the limit)")
    lines += [f"problem: {problem}" for problem in results["problems"]]
    return "\n".join(lines)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, in files (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the median is shown")
    parser.add_argument("--iac-corpus", type=int, default=1000,
                        help="Checkov and cfn-lint read the IaC files of the corpus of this many files")
    parser.add_argument("--jobs-percent", type=float, default=3.0, help="share of units with labeling jobs")
    parser.add_argument("--large-template-kib", type=int, default=900,
                        help="size of each cdk.out template (default: %(default)s, under CloudFormation's 1 MB limit)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a host run is killed")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--smoke", action="store_true", help="tiny inputs and one run: checks that every path works")
    arguments = parser.parse_args()
    arguments.sizes = [int(size) for size in arguments.sizes.split(",")]
    arguments.iam_roles, arguments.iam_statements = 1000, 10_000
    if arguments.smoke:
        vars(arguments).update(SMOKE)
    return arguments


def main() -> None:
    arguments = options()
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    env.pop("GTLINT_IAM_SNAPSHOT", None)
    with tempfile.TemporaryDirectory(prefix="gtlint-bench-") as folder:
        context = Context(Path(folder), arguments.runs, arguments.timeout, env)
        corpora = {size: generate(context.work / f"corpus-{size}", size, arguments.seed, arguments.jobs_percent,
                                  arguments.large_template_kib) for size in sorted({*arguments.sizes})}
        iac_corpus = corpora.get(arguments.iac_corpus) or generate(
            context.work / f"corpus-{arguments.iac_corpus}", arguments.iac_corpus, arguments.seed,
            arguments.jobs_percent, arguments.large_template_kib)
        scans, scaling = scan_sizes(context, corpora)
        iac = iac_hosts(context, iac_corpus)
        results = {
            "machine": machine(),
            "settings": {name: getattr(arguments, name)
                         for name in ("seed", "runs", "jobs_percent", "large_template_kib", "iac_corpus", "smoke")},
            "gtlint_scan": scans, "scaling": scaling, "iac": iac,
            "iam": iam(context, arguments.iam_roles, arguments.iam_statements),
            "targets": [{**asdict(target), "met": target.met, "margin": round(target.margin, 3),
                         "margin_of_limit": round(target.margin / target.limit, 3)}
                        for target in targets(scans, iac)],
            "problems": context.problems,
        }
    print(render(results))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
