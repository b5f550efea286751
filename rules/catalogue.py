"""The rules' metadata: the single source of truth for ids, levels, titles, help and host ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "note"]
LEVELS: tuple[Level, ...] = ("note", "warning", "error")

HELP_BASE = "https://github.com/gtlint/gtlint/blob/main/README.md"

# The forms a request can be written in; `forms` on a rule says where it applies.
FORMS = ("cloudformation", "sam", "stepfunctions", "terraform", "terraform_plan")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    level: Level
    rationale: str
    fix: str
    example_fail: str
    example_pass: str
    forms: tuple[str, ...] = FORMS

    @property
    def number(self) -> str:
        return self.id[len("GTL") :]

    @property
    def checkov_id(self) -> str:
        return f"CKV_GTL_{self.number}"

    @property
    def cfn_lint_id(self) -> str:
        """cfn-lint runs only E/W ids by default; 91xx collides with no built-in rule."""
        prefix = {"error": "E", "warning": "W", "note": "I"}[self.level]
        return f"{prefix}91{self.number[1:]}"

    @property
    def cfn_lint_note_id(self) -> str:
        """Findings that could not be decided statically go to an informational child rule."""
        return f"I91{self.number[1:]}"

    @property
    def anchor(self) -> str:
        slug = re.sub(r"[^a-z0-9 -]", "", f"{self.id} {self.title}".lower()).replace(" ", "-")
        return slug

    @property
    def help_uri(self) -> str:
        return f"{HELP_BASE}#{self.anchor}"


RULES: tuple[Rule, ...] = (
    Rule(
        id="GTL001",
        title="Automated labeling volume is not encrypted with a customer managed key",
        level="error",
        rationale=(
            "With LabelingJobAlgorithmsConfig, SageMaker trains and runs models on ML instances. Their "
            "storage volume is encrypted with a customer managed KMS key only if "
            "LabelingJobAlgorithmsConfig.LabelingJobResourceConfig.VolumeKmsKeyId is set; the console "
            "cannot set it, only the API can."
        ),
        fix=(
            "Set LabelingJobAlgorithmsConfig.LabelingJobResourceConfig.VolumeKmsKeyId to the ID or ARN "
            "of a customer managed KMS key (on every Fn::If branch)."
        ),
        example_fail="LabelingJobAlgorithmsConfig:\n  LabelingJobAlgorithmSpecificationArn: ...\n",
        example_pass=(
            "LabelingJobAlgorithmsConfig:\n  LabelingJobAlgorithmSpecificationArn: ...\n"
            "  LabelingJobResourceConfig:\n    VolumeKmsKeyId: !GetAtt VolumeKey.Arn\n"
        ),
    ),
    Rule(
        id="GTL002",
        title="Labeling job output is not encrypted with a customer managed key",
        level="warning",
        rationale=(
            "Without OutputConfig.KmsKeyId, SageMaker encrypts the labeling output with the AWS managed "
            "key for Amazon S3 (aws/s3) of the role's account, whose policy you cannot restrict."
        ),
        fix="Set OutputConfig.KmsKeyId to a customer managed KMS key (key ID, key ARN, alias or alias ARN).",
        example_fail="OutputConfig:\n  S3OutputPath: s3://bucket/output/\n",
        example_pass="OutputConfig:\n  S3OutputPath: s3://bucket/output/\n  KmsKeyId: alias/labeling-output\n",
    ),
    Rule(
        id="GTL005",
        title="KMS key identifier is not in a form the field accepts",
        level="error",
        rationale=(
            "VolumeKmsKeyId accepts a key ID or a key ARN; OutputConfig.KmsKeyId accepts a key ID, key ARN, "
            "alias name or alias ARN. Any other value makes CreateLabelingJob fail at run time."
        ),
        fix=(
            "Use a key ID (1234abcd-12ab-34cd-56ef-1234567890ab), a key ARN "
            "(arn:aws:kms:region:account:key/key-id) or, for OutputConfig.KmsKeyId only, "
            "alias/name or an alias ARN."
        ),
        example_fail="LabelingJobResourceConfig:\n  VolumeKmsKeyId: alias/labeling-volume\n",
        example_pass=(
            "LabelingJobResourceConfig:\n  VolumeKmsKeyId: "
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n"
        ),
    ),
)

_BY_ID = {rule.id: rule for rule in RULES}


def get(rule_id: str) -> Rule:
    return _BY_ID[rule_id.upper()]


def find(rule_id: str) -> Rule | None:
    return _BY_ID.get(rule_id.upper())
