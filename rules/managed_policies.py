"""What common AWS managed policies grant of `kms:*` and `iam:PassRole`, written by hand.

Only the statements that can grant or deny those actions are kept, reduced to those actions
(a test checks the table against a snapshot of the real documents). `{partition}` stands for
the partition of the account the policy is attached in. A managed policy that is not here
cannot be judged: it gives a note.
"""

from __future__ import annotations

import re

from gtlint.iam import Policy, arn_fields, arn_partition
from gtlint.request import Location, readable
from gtlint.sources.policy_document import policy_from_plain

_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
_PASS_ROLE_TO_SAGEMAKER = {
    "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:{partition}:iam::*:role/*",
    "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
}
_KMS_READ = {"Effect": "Allow", "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}

MANAGED_POLICIES: dict[str, list[dict]] = {
    "AdministratorAccess": [_ALL],
    "PowerUserAccess": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}],
    "AmazonSageMakerFullAccess": [
        {"Effect": "Allow", "Action": ["kms:DescribeKey", "kms:ListAliases"], "Resource": "*"},
        {
            "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:{partition}:iam::*:role/*AmazonSageMaker*",
            "Condition": {"StringEquals": {"iam:PassedToService": [
                "glue.amazonaws.com", "robomaker.amazonaws.com", "states.amazonaws.com",
            ]}},
        },
        _PASS_ROLE_TO_SAGEMAKER,
    ],
    "AmazonSageMakerGroundTruthExecution": [],
    "AmazonSageMakerCanvasFullAccess": [
        _PASS_ROLE_TO_SAGEMAKER,
        {**_PASS_ROLE_TO_SAGEMAKER, "Condition": {"StringEquals": {"iam:PassedToService": "forecast.amazonaws.com"}}},
        {
            "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}",
                                           "aws:ResourceTag/Source": "SageMakerCanvas"}},
        },
        {
            "Effect": "Allow", "Action": "iam:PassRole",
            "Resource": [
                "arn:{partition}:iam::*:role/service-role/AmazonSageMakerCanvasEMRSExecutionAccess-*",
                "arn:{partition}:iam::*:role/AmazonSageMakerCanvasEMRSExecutionAccess-*",
            ],
            "Condition": {"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}",
                                           "iam:PassedToService": "emr-serverless.amazonaws.com"}},
        },
    ],
    "AmazonS3FullAccess": [],
    "ReadOnlyAccess": [_KMS_READ],
    "AWSKeyManagementServicePowerUser": [{
        "Effect": "Allow", "Resource": "*",
        "Action": ["kms:CreateAlias", "kms:CreateKey", "kms:DeleteAlias", "kms:Describe*", "kms:GenerateRandom",
                   "kms:Get*", "kms:List*", "kms:TagResource", "kms:UntagResource"],
    }],
    "IAMFullAccess": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
}

_POLICY_NAME = re.compile(r"policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)\Z")


def managed_policy_name(arn: str) -> str | None:
    """The name of an AWS managed policy from its ARN (any partition, any path)."""
    fields = arn_fields(arn)
    if not fields or len(fields) != 6 or fields[2] != "iam" or fields[4] != "aws":
        return None
    match = _POLICY_NAME.match(fields[5])
    return match.group("name") if match else None


def policy_by_arn(arn: str, location: Location, elsewhere: str = "the scanned code") -> Policy:
    """A managed policy attached by ARN: an AWS managed one from the table, or one defined `elsewhere`."""
    name = managed_policy_name(arn)
    if name is not None:
        return managed_policy(name, arn_partition(arn) or "aws", location)
    shown = readable(arn)
    return Policy(f"managed policy {shown}", (), f"{shown} is not defined in {elsewhere}", arn=arn)


def managed_policy(name: str, partition: str, location: Location) -> Policy:
    """The facts about one AWS managed policy, its ARNs in `partition` (a literal or a symbol)."""
    label = f"AWS managed policy {name}"
    statements = MANAGED_POLICIES.get(name)
    if statements is None:
        return Policy(label, (), f"{name} is not in gtlint's table of AWS managed policies")
    document = {"Statement": [_in_partition(statement, partition) for statement in statements]}
    return policy_from_plain(document, label, location)


def _in_partition(value: object, partition: str) -> object:
    if isinstance(value, str):
        return value.replace("{partition}", partition)
    if isinstance(value, list):
        return [_in_partition(item, partition) for item in value]
    if isinstance(value, dict):
        return {key: _in_partition(item, partition) for key, item in value.items()}
    return value
