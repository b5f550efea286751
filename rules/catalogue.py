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
# Where roles and keys are defined next to the request. A standalone Step Functions definition
# names roles defined elsewhere: the IAM rules give notes there, or decide with --iam-snapshot.
IAM_FORMS = ("cloudformation", "sam", "terraform", "terraform_plan")


@dataclass(frozen=True)
class Example:
    """A failing and a passing snippet in one language (terraform, cloudformation, boto3)."""

    language: str
    fails: str
    passes: str


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
    examples: tuple[Example, ...] = ()
    about_requests: bool = True  # False: a rule about gtlint's own suppressions, which hosts do not run

    @property
    def number(self) -> str:
        return self.id[len("GTL") :]

    @property
    def checkov_id(self) -> str:
        return f"CKV_GTL_{self.number}" if self.about_requests else ""

    @property
    def cfn_lint_id(self) -> str:
        """cfn-lint runs only E/W ids by default; 91xx collides with no built-in rule."""
        prefix = {"error": "E", "warning": "W", "note": "I"}[self.level]
        return f"{prefix}91{self.number[1:]}" if self.about_requests else ""

    @property
    def cfn_lint_note_id(self) -> str:
        """Findings that could not be decided statically go to an informational child rule."""
        return f"I91{self.number[1:]}" if self.about_requests else ""

    @property
    def cfn_lint_warning_id(self) -> str | None:
        """An error rule's conditional results (warnings) go to a warning child rule."""
        return f"W91{self.number[1:]}" if self.level == "error" and self.about_requests else None

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
        id="GTL003",
        title="Execution role cannot create grants on the volume key",
        level="error",
        rationale=(
            "SageMaker attaches the VolumeKmsKeyId key to the automated labeling instances' storage with a KMS "
            "grant made with the execution role's credentials. Without kms:CreateGrant on that key the job fails "
            "at run time, after the workforce has been set up. AmazonSageMakerFullAccess does not grant it."
        ),
        fix=(
            "Allow the execution role kms:CreateGrant on the volume key (a statement on the key's ARN), and "
            "make sure no Deny or permissions boundary takes it away."
        ),
        example_fail="ManagedPolicyArns:\n  - arn:aws:iam::aws:policy/AmazonSageMakerFullAccess\n",
        example_pass=(
            "Policies:\n  - PolicyName: volume-key\n    PolicyDocument:\n      Statement:\n"
            "        - Effect: Allow\n          Action: kms:CreateGrant\n          Resource: !GetAtt VolumeKey.Arn\n"
        ),
        forms=IAM_FORMS,
    ),
    Rule(
        id="GTL004",
        title="Execution role cannot encrypt with the output key",
        level="error",
        rationale=(
            "SageMaker encrypts the labeling output with OutputConfig.KmsKeyId using the execution role's "
            "credentials. Without kms:Encrypt on that key the job fails when it writes its output. "
            "AmazonSageMakerFullAccess does not grant it."
        ),
        fix="Allow the execution role kms:Encrypt on the output key (a statement on the key's ARN).",
        example_fail="ManagedPolicyArns:\n  - arn:aws:iam::aws:policy/AmazonSageMakerFullAccess\n",
        example_pass=(
            "Policies:\n  - PolicyName: output-key\n    PolicyDocument:\n      Statement:\n"
            "        - Effect: Allow\n          Action: kms:Encrypt\n          Resource: !GetAtt OutputKey.Arn\n"
        ),
        forms=IAM_FORMS,
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
    Rule(
        id="GTL006",
        title="Key policy does not let the execution role use the key",
        level="warning",
        rationale=(
            "A KMS key is usable only if its key policy allows it: directly for the role, or by granting the "
            "account root, which delegates to IAM policies. A key defined next to the job whose policy does "
            "neither makes the job fail however the role's policies read."
        ),
        fix=(
            "Add the account root statement (Principal arn:aws:iam::ACCOUNT:root, Action kms:*) to the key "
            "policy, or allow the role kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, "
            "kms:DescribeKey (and kms:CreateGrant for the volume key) in it."
        ),
        example_fail=(
            "KeyPolicy:\n  Statement:\n    - Effect: Allow\n      Principal: {AWS: !GetAtt Admin.Arn}\n"
            "      Action: kms:*\n      Resource: '*'\n"
        ),
        example_pass=(
            "KeyPolicy:\n  Statement:\n    - Effect: Allow\n"
            "      Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n"
            "      Action: kms:*\n      Resource: '*'\n"
        ),
        forms=IAM_FORMS,
    ),
    Rule(
        id="GTL007",
        title="SageMaker cannot assume or pass the execution role",
        level="warning",
        rationale=(
            "With automated labeling, SageMaker assumes the execution role and passes it to the training and "
            "inference jobs it starts. The role's trust policy must name sagemaker.amazonaws.com, and the role "
            "must be allowed iam:PassRole on itself to SageMaker."
        ),
        fix=(
            "Trust sagemaker.amazonaws.com (sts:AssumeRole) in the role's trust policy, and allow iam:PassRole on "
            "the role's own ARN with the condition iam:PassedToService = sagemaker.amazonaws.com."
        ),
        example_fail="AssumeRolePolicyDocument:\n  Statement:\n    - Principal: {Service: lambda.amazonaws.com}\n",
        example_pass=(
            "AssumeRolePolicyDocument:\n  Statement:\n    - Effect: Allow\n"
            "      Principal: {Service: sagemaker.amazonaws.com}\n      Action: sts:AssumeRole\n"
        ),
        forms=IAM_FORMS,
    ),
    Rule(
        id="GTL900",
        title="Suppression without a reason",
        level="warning",
        rationale=(
            "A `# gtlint: ignore[GTLxxx]` comment or a Metadata gtlint ignore entry hides a finding. Without a "
            "reason, the next reader cannot tell a considered exception from a silenced alarm."
        ),
        fix="Say why after the rule list: `# gtlint: ignore[GTL002] output bucket is encrypted by an SCP`.",
        example_fail="# gtlint: ignore[GTL002]\n",
        example_pass="# gtlint: ignore[GTL002] the output prefix holds only public sample images\n",
        forms=(),
        about_requests=False,
    ),
    Rule(
        id="GTL901",
        title="Suppression that suppresses nothing",
        level="warning",
        rationale=(
            "A suppression that matches no finding is stale: the code it excused changed. Reported with "
            "`--report-unused-ignores`."
        ),
        fix="Remove the suppression, or move it to the line of the finding it is meant for.",
        example_fail="# gtlint: ignore[GTL001] (on a line with no GTL001 finding)\n",
        example_pass="(no suppression where there is nothing to suppress)\n",
        forms=(),
        about_requests=False,
    ),
)

_BY_ID = {rule.id: rule for rule in RULES}
REQUEST_RULES = tuple(rule for rule in RULES if rule.about_requests)


def get(rule_id: str) -> Rule:
    return _BY_ID[rule_id.upper()]


def find(rule_id: str) -> Rule | None:
    return _BY_ID.get(rule_id.upper())
