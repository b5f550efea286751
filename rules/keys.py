"""The forms a KMS key identifier may take."""

from __future__ import annotations

import re

_PARTITION = r"aws(?:-[a-z]+)*"
_KEY_ID = r"(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})"
_ALIAS = r"alias/[a-zA-Z0-9/_-]{1,250}"
_KMS_ARN = rf"arn:{_PARTITION}:kms:[a-z0-9-]+:\d{{12}}:"
KEY_ID = re.compile(rf"{_KEY_ID}\Z")
KEY_ARN = re.compile(rf"{_KMS_ARN}key/{_KEY_ID}\Z")
ALIAS_NAME = re.compile(rf"{_ALIAS}\Z")
ALIAS_ARN = re.compile(rf"{_KMS_ARN}{_ALIAS}\Z")
AWS_MANAGED_S3 = re.compile(rf"(?:{_KMS_ARN})?alias/aws/s3\Z")
