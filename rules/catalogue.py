"""The rules' metadata: the single source of truth for ids, levels, titles, help and host ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "note"]
LEVELS: tuple[Level, ...] = ("note", "warning", "error")

HELP_BASE = "https://github.com/gtlint/gtlint/blob/main/README.md"

# The forms a request can be written in; `forms` on a rule says where it applies.
FORMS = (
    "cloudformation", "sam", "stepfunctions", "terraform", "terraform_plan",
    "python", "notebook", "aws_cli", "request_document", "javascript", "kubernetes",
)
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


# A labeling job with both keys set, the passing CloudFormation example of the key rules.
_CLOUDFORMATION_BOTH_KEYS = (
    "Resources:\n"
    "  LabelingMachine:\n"
    "    Type: AWS::StepFunctions::StateMachine\n"
    "    Properties:\n"
    "      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole\n"
    "      Definition:\n"
    "        StartAt: CreateLabelingJob\n"
    "        States:\n"
    "          CreateLabelingJob:\n"
    "            Type: Task\n"
    "            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n"
    "            End: true\n"
    "            Parameters:\n"
    "              LabelingJobName: vehicle-classes\n"
    "              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution\n"
    '              OutputConfig: {S3OutputPath: "s3://example-gt-output/vehicles/", KmsKeyId: alias/'
    "labeling-output}\n"
    "              LabelingJobAlgorithmsConfig:\n"
    "                LabelingJobAlgorithmSpecificationArn: arn:aws:sagemaker:us-east-1:027400017018:"
    "labeling-job-algorithm-specification/image-classification\n"
    "                LabelingJobResourceConfig:\n"
    "                  VolumeKmsKeyId: arn:aws:kms:us-east-1:111122223333:key/"
    "1234abcd-12ab-34cd-56ef-1234567890ab\n"
)


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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    '    kms_key_id     = "alias/labeling-output"\n'
                    "  }\n"
                    "  labeling_job_algorithms_config {\n"
                    '    labeling_job_algorithm_specification_arn = "arn:aws:sagemaker:us-east-1:027400017018:'
                    'labeling-job-algorithm-specification/image-classification"\n'
                    "  }\n"
                    "}\n"
                ),
                passes=(
                    'resource "aws_kms_key" "volume" { enable_key_rotation = true }\n'
                    "\n"
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    '    kms_key_id     = "alias/labeling-output"\n'
                    "  }\n"
                    "  labeling_job_algorithms_config {\n"
                    '    labeling_job_algorithm_specification_arn = "arn:aws:sagemaker:us-east-1:027400017018:'
                    'labeling-job-algorithm-specification/image-classification"\n'
                    "    labeling_job_resource_config {\n"
                    "      volume_kms_key_id = aws_kms_key.volume.arn\n"
                    "    }\n"
                    "  }\n"
                    "}\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  LabelingMachine:\n"
                    "    Type: AWS::StepFunctions::StateMachine\n"
                    "    Properties:\n"
                    "      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole\n"
                    "      Definition:\n"
                    "        StartAt: CreateLabelingJob\n"
                    "        States:\n"
                    "          CreateLabelingJob:\n"
                    "            Type: Task\n"
                    "            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n"
                    "            End: true\n"
                    "            Parameters:\n"
                    "              LabelingJobName: vehicle-classes\n"
                    "              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution\n"
                    '              OutputConfig: {S3OutputPath: "s3://example-gt-output/vehicles/", KmsKeyId: alias/'
                    "labeling-output}\n"
                    "              LabelingJobAlgorithmsConfig:\n"
                    "                LabelingJobAlgorithmSpecificationArn: arn:aws:sagemaker:us-east-1:027400017018:"
                    "labeling-job-algorithm-specification/image-classification\n"
                ),
                passes=_CLOUDFORMATION_BOTH_KEYS,
            ),
            Example(
                "boto3",
                fails=(
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": "alias/'
                    'labeling-output"},\n'
                    '    LabelingJobAlgorithmsConfig={"LabelingJobAlgorithmSpecificationArn": ALGORITHM},\n'
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
                passes=(
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    'VOLUME_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": "alias/'
                    'labeling-output"},\n'
                    "    LabelingJobAlgorithmsConfig={\n"
                    '        "LabelingJobAlgorithmSpecificationArn": ALGORITHM,\n'
                    '        "LabelingJobResourceConfig": {"VolumeKmsKeyId": VOLUME_KEY},\n'
                    "    },\n"
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
            ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    "  }\n"
                    "}\n"
                ),
                passes=(
                    'resource "aws_kms_key" "output" { enable_key_rotation = true }\n'
                    "\n"
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    "    kms_key_id     = aws_kms_key.output.arn\n"
                    "  }\n"
                    "}\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  LabelingMachine:\n"
                    "    Type: AWS::StepFunctions::StateMachine\n"
                    "    Properties:\n"
                    "      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole\n"
                    "      Definition:\n"
                    "        StartAt: CreateLabelingJob\n"
                    "        States:\n"
                    "          CreateLabelingJob:\n"
                    "            Type: Task\n"
                    "            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n"
                    "            End: true\n"
                    "            Parameters:\n"
                    "              LabelingJobName: vehicle-classes\n"
                    "              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution\n"
                    "              OutputConfig:\n"
                    "                S3OutputPath: s3://example-gt-output/vehicles/\n"
                ),
                passes=(
                    "Resources:\n"
                    "  OutputKey:\n"
                    "    Type: AWS::KMS::Key\n"
                    "  LabelingMachine:\n"
                    "    Type: AWS::StepFunctions::StateMachine\n"
                    "    Properties:\n"
                    "      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole\n"
                    "      Definition:\n"
                    "        StartAt: CreateLabelingJob\n"
                    "        States:\n"
                    "          CreateLabelingJob:\n"
                    "            Type: Task\n"
                    "            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n"
                    "            End: true\n"
                    "            Parameters:\n"
                    "              LabelingJobName: vehicle-classes\n"
                    "              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution\n"
                    "              OutputConfig:\n"
                    "                S3OutputPath: s3://example-gt-output/vehicles/\n"
                    "                KmsKeyId: !GetAtt OutputKey.Arn\n"
                ),
            ),
            Example(
                "boto3",
                fails=(
                    "import boto3\n"
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/"},\n'
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
                passes=(
                    "import boto3\n"
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": "alias/'
                    'labeling-output"},\n'
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
            ),
        ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name               = "gt-labeling-execution"\n'
                    "  assume_role_policy = data.aws_iam_policy_document.sagemaker_trust.json\n"
                    "}\n"
                    "\n"
                    'resource "aws_iam_role_policy_attachment" "sagemaker" {\n'
                    "  role       = aws_iam_role.labeling.name\n"
                    '  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" # no kms:CreateGrant\n'
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, volume_kms_key_id = aws_kms_key.volume.arn\n"
                ),
                passes=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name               = "gt-labeling-execution"\n'
                    "  assume_role_policy = data.aws_iam_policy_document.sagemaker_trust.json\n"
                    "}\n"
                    "\n"
                    'resource "aws_iam_role_policy" "volume_key" {\n'
                    "  role = aws_iam_role.labeling.id\n"
                    "  policy = jsonencode({\n"
                    '    Version   = "2012-10-17"\n'
                    '    Statement = [{ Effect = "Allow", Action = "kms:CreateGrant", Resource = '
                    "aws_kms_key.volume.arn }]\n"
                    "  })\n"
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, volume_kms_key_id = aws_kms_key.volume.arn\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  VolumeKey:\n"
                    "    Type: AWS::KMS::Key\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, VolumeKmsKeyId: !GetAtt "
                    "VolumeKey.Arn\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:"
                    "AssumeRole}\n"
                    "      ManagedPolicyArns:\n"
                    "        - arn:aws:iam::aws:policy/AmazonSageMakerFullAccess  # no kms:CreateGrant\n"
                ),
                passes=(
                    "Resources:\n"
                    "  VolumeKey:\n"
                    "    Type: AWS::KMS::Key\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, VolumeKmsKeyId: !GetAtt "
                    "VolumeKey.Arn\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:"
                    "AssumeRole}\n"
                    "      Policies:\n"
                    "        - PolicyName: volume-key\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - {Effect: Allow, Action: kms:CreateGrant, Resource: !GetAtt VolumeKey.Arn}\n"
                ),
            ),
            Example(
                "boto3",
                fails=(
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    'VOLUME_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'
                    "# the role's only policy, which does not allow kms:CreateGrant\n"
                    'iam = boto3.client("iam")\n'
                    'iam.attach_role_policy(RoleName="GroundTruthExecution", PolicyArn="arn:aws:iam::aws:policy/'
                    'AmazonSageMakerFullAccess")\n'
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    LabelingJobAlgorithmsConfig={"LabelingJobAlgorithmSpecificationArn": ALGORITHM,\n'
                    '                                 "LabelingJobResourceConfig": {"VolumeKmsKeyId": VOLUME_KEY}},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, OutputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
                passes=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    'VOLUME_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'
                    'statement = {"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": VOLUME_KEY}\n'
                    'policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})\n'
                    'boto3.client("iam").put_role_policy(RoleName="GroundTruthExecution", PolicyName="volume-key", '
                    "PolicyDocument=policy)\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    LabelingJobAlgorithmsConfig={"LabelingJobAlgorithmSpecificationArn": ALGORITHM,\n'
                    '                                 "LabelingJobResourceConfig": {"VolumeKmsKeyId": VOLUME_KEY}},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, OutputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
            ),
        ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name               = "gt-labeling-execution"\n'
                    "  assume_role_policy = data.aws_iam_policy_document.sagemaker_trust.json\n"
                    "}\n"
                    "\n"
                    'resource "aws_iam_role_policy_attachment" "sagemaker" {\n'
                    "  role       = aws_iam_role.labeling.name\n"
                    '  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" # no kms:Encrypt\n'
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, output_config { kms_key_id = "
                    "aws_kms_key.output.arn }\n"
                ),
                passes=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name               = "gt-labeling-execution"\n'
                    "  assume_role_policy = data.aws_iam_policy_document.sagemaker_trust.json\n"
                    "}\n"
                    "\n"
                    'resource "aws_iam_role_policy" "output_key" {\n'
                    "  role = aws_iam_role.labeling.id\n"
                    "  policy = jsonencode({\n"
                    '    Version   = "2012-10-17"\n'
                    '    Statement = [{ Effect = "Allow", Action = "kms:Encrypt", Resource = aws_kms_key.output.arn '
                    "}]\n"
                    "  })\n"
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, output_config { kms_key_id = "
                    "aws_kms_key.output.arn }\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  OutputKey:\n"
                    "    Type: AWS::KMS::Key\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, OutputConfig.KmsKeyId: !GetAtt "
                    "OutputKey.Arn\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:"
                    "AssumeRole}\n"
                    "      ManagedPolicyArns:\n"
                    "        - arn:aws:iam::aws:policy/AmazonSageMakerFullAccess  # no kms:Encrypt\n"
                ),
                passes=(
                    "Resources:\n"
                    "  OutputKey:\n"
                    "    Type: AWS::KMS::Key\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, OutputConfig.KmsKeyId: !GetAtt "
                    "OutputKey.Arn\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:"
                    "AssumeRole}\n"
                    "      Policies:\n"
                    "        - PolicyName: output-key\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - {Effect: Allow, Action: kms:Encrypt, Resource: !GetAtt OutputKey.Arn}\n"
                ),
            ),
            Example(
                "boto3",
                fails=(
                    "import boto3\n"
                    "\n"
                    'OUTPUT_KEY = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"\n'
                    "# the role's only policy, which does not allow kms:Encrypt\n"
                    'iam = boto3.client("iam")\n'
                    'iam.attach_role_policy(RoleName="GroundTruthExecution", PolicyArn="arn:aws:iam::aws:policy/'
                    'AmazonSageMakerFullAccess")\n'
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": OUTPUT_KEY},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
                passes=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'OUTPUT_KEY = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"\n'
                    'statement = {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": OUTPUT_KEY}\n'
                    'policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})\n'
                    'boto3.client("iam").put_role_policy(RoleName="GroundTruthExecution", PolicyName="output-key", '
                    "PolicyDocument=policy)\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": OUTPUT_KEY},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
            ),
        ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    '    kms_key_id     = "alias/labeling-output"\n'
                    "  }\n"
                    "  labeling_job_algorithms_config {\n"
                    '    labeling_job_algorithm_specification_arn = "arn:aws:sagemaker:us-east-1:027400017018:'
                    'labeling-job-algorithm-specification/image-classification"\n'
                    "    labeling_job_resource_config {\n"
                    '      volume_kms_key_id = "alias/labeling-volume"\n'
                    "    }\n"
                    "  }\n"
                    "}\n"
                ),
                passes=(
                    'resource "aws_sagemaker_labeling_job" "vehicles" {\n'
                    '  labeling_job_name = "vehicle-classes"\n'
                    '  role_arn          = "arn:aws:iam::111122223333:role/GroundTruthExecution"\n'
                    "  # label_attribute_name, input_config and human_task_config as usual\n"
                    "  output_config {\n"
                    '    s3_output_path = "s3://example-gt-output/vehicles/"\n'
                    '    kms_key_id     = "alias/labeling-output"\n'
                    "  }\n"
                    "  labeling_job_algorithms_config {\n"
                    '    labeling_job_algorithm_specification_arn = "arn:aws:sagemaker:us-east-1:027400017018:'
                    'labeling-job-algorithm-specification/image-classification"\n'
                    "    labeling_job_resource_config {\n"
                    '      volume_kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/'
                    '1234abcd-12ab-34cd-56ef-1234567890ab"\n'
                    "    }\n"
                    "  }\n"
                    "}\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  LabelingMachine:\n"
                    "    Type: AWS::StepFunctions::StateMachine\n"
                    "    Properties:\n"
                    "      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole\n"
                    "      Definition:\n"
                    "        StartAt: CreateLabelingJob\n"
                    "        States:\n"
                    "          CreateLabelingJob:\n"
                    "            Type: Task\n"
                    "            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n"
                    "            End: true\n"
                    "            Parameters:\n"
                    "              LabelingJobName: vehicle-classes\n"
                    "              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution\n"
                    '              OutputConfig: {S3OutputPath: "s3://example-gt-output/vehicles/", KmsKeyId: alias/'
                    "labeling-output}\n"
                    "              LabelingJobAlgorithmsConfig:\n"
                    "                LabelingJobAlgorithmSpecificationArn: arn:aws:sagemaker:us-east-1:027400017018:"
                    "labeling-job-algorithm-specification/image-classification\n"
                    "                LabelingJobResourceConfig:\n"
                    "                  VolumeKmsKeyId: alias/labeling-volume\n"
                ),
                passes=_CLOUDFORMATION_BOTH_KEYS,
            ),
            Example(
                "boto3",
                fails=(
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": "alias/'
                    'labeling-output"},\n'
                    "    LabelingJobAlgorithmsConfig={\n"
                    '        "LabelingJobAlgorithmSpecificationArn": ALGORITHM,\n'
                    '        "LabelingJobResourceConfig": {"VolumeKmsKeyId": "alias/labeling-volume"},  # aliases are '
                    "not accepted here\n"
                    "    },\n"
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
                passes=(
                    "import boto3\n"
                    "\n"
                    'ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/'
                    'image-classification"\n'
                    'VOLUME_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"  # or '
                    "the bare key ID\n"
                    "\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    LabelingJobName="vehicle-classes",\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": "alias/'
                    'labeling-output"},\n'
                    "    LabelingJobAlgorithmsConfig={\n"
                    '        "LabelingJobAlgorithmSpecificationArn": ALGORITHM,\n'
                    '        "LabelingJobResourceConfig": {"VolumeKmsKeyId": VOLUME_KEY},\n'
                    "    },\n"
                    "    **other_parameters,  # LabelAttributeName, InputConfig, HumanTaskConfig\n"
                    ")\n"
                ),
            ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_kms_key" "output" {\n'
                    "  enable_key_rotation = true\n"
                    "  policy = jsonencode({\n"
                    '    Version = "2012-10-17"\n'
                    "    Statement = [{\n"
                    '      Effect    = "Allow"\n'
                    '      Principal = { AWS = "arn:aws:iam::111122223333:role/KeyAdmin" } # neither the account root '
                    "nor the job's role\n"
                    '      Action    = "kms:*"\n'
                    '      Resource  = "*"\n'
                    "    }]\n"
                    "  })\n"
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, output_config { kms_key_id = "
                    "aws_kms_key.output.arn }\n"
                ),
                passes=(
                    'data "aws_caller_identity" "current" {}\n'
                    "\n"
                    'resource "aws_kms_key" "output" {\n'
                    "  enable_key_rotation = true\n"
                    "  policy = jsonencode({\n"
                    '    Version = "2012-10-17"\n'
                    "    Statement = [{\n"
                    '      Effect    = "Allow"\n'
                    '      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" } # '
                    "delegates to IAM\n"
                    '      Action    = "kms:*"\n'
                    '      Resource  = "*"\n'
                    "    }]\n"
                    "  })\n"
                    "}\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, output_config { kms_key_id = "
                    "aws_kms_key.output.arn }\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  OutputKey:  # the task's RoleArn: !GetAtt LabelingRole.Arn, OutputConfig.KmsKeyId: !GetAtt "
                    "OutputKey.Arn\n"
                    "    Type: AWS::KMS::Key\n"
                    "    Properties:\n"
                    "      KeyPolicy:\n"
                    '        Version: "2012-10-17"\n'
                    "        Statement:\n"
                    "          - Effect: Allow  # neither the account root nor the job's role\n"
                    '            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/KeyAdmin"}\n'
                    "            Action: kms:*\n"
                    '            Resource: "*"\n'
                ),
                passes=(
                    "Resources:\n"
                    "  OutputKey:  # the task's RoleArn: !GetAtt LabelingRole.Arn, OutputConfig.KmsKeyId: !GetAtt "
                    "OutputKey.Arn\n"
                    "    Type: AWS::KMS::Key\n"
                    "    Properties:\n"
                    "      KeyPolicy:\n"
                    '        Version: "2012-10-17"\n'
                    "        Statement:\n"
                    "          - Effect: Allow  # the account root: the role's IAM policies decide\n"
                    '            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}\n'
                    "            Action: kms:*\n"
                    '            Resource: "*"\n'
                ),
            ),
            Example(
                "boto3",
                fails=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'admin_only = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},'
                    "\n"
                    '              "Action": "kms:*", "Resource": "*"}  # neither the account root nor the '
                    "job's role\n"
                    'policy = json.dumps({"Version": "2012-10-17", "Statement": [admin_only]})\n'
                    'key = boto3.client("kms").create_key(Description="Ground Truth output", '
                    'Policy=policy)["KeyMetadata"]\n'
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": key["Arn"]},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
                passes=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'account_root = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},\n'
                    "                \"Action\": \"kms:*\", \"Resource\": \"*\"}  # delegates to the role's IAM "
                    "policies\n"
                    'policy = json.dumps({"Version": "2012-10-17", "Statement": [account_root]})\n'
                    'key = boto3.client("kms").create_key(Description="Ground Truth output", '
                    'Policy=policy)["KeyMetadata"]\n'
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn="arn:aws:iam::111122223333:role/GroundTruthExecution",\n'
                    '    OutputConfig={"S3OutputPath": "s3://example-gt-output/vehicles/", "KmsKeyId": key["Arn"]},\n'
                    "    **other_parameters,  # LabelingJobName, InputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
            ),
        ),
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
        examples=(
            Example(
                "terraform",
                fails=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name = "gt-labeling-execution"\n'
                    "  assume_role_policy = jsonencode({\n"
                    '    Version   = "2012-10-17"\n'
                    '    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = '
                    '"sts:AssumeRole" }]\n'
                    "  })\n"
                    "}\n"
                    "# no policy allows the role iam:PassRole on itself\n"
                    "# the job: role_arn = aws_iam_role.labeling.arn, with labeling_job_algorithms_config\n"
                ),
                passes=(
                    'resource "aws_iam_role" "labeling" {\n'
                    '  name = "gt-labeling-execution"\n'
                    "  assume_role_policy = jsonencode({\n"
                    '    Version   = "2012-10-17"\n'
                    '    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action '
                    '= "sts:AssumeRole" }]\n'
                    "  })\n"
                    "}\n"
                    "\n"
                    'resource "aws_iam_role_policy" "pass_self" {\n'
                    "  role = aws_iam_role.labeling.id\n"
                    "  policy = jsonencode({\n"
                    '    Version = "2012-10-17"\n'
                    '    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = '
                    "aws_iam_role.labeling.arn,\n"
                    '    Condition = { StringEquals = { "iam:PassedToService" = "sagemaker.amazonaws.com" } } }]\n'
                    "  })\n"
                    "}\n"
                ),
            ),
            Example(
                "cloudformation",
                fails=(
                    "Resources:\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, with "
                    "LabelingJobAlgorithmsConfig\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      RoleName: gt-labeling-execution\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n"
                    "      # and no policy allows the role iam:PassRole on itself\n"
                ),
                passes=(
                    "Resources:\n"
                    "  LabelingRole:  # the task's RoleArn: !GetAtt LabelingRole.Arn, with "
                    "LabelingJobAlgorithmsConfig\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      RoleName: gt-labeling-execution\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement:\n"
                    "          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:"
                    "AssumeRole}\n"
                    "      Policies:\n"
                    "        - PolicyName: pass-self\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - Effect: Allow\n"
                    "                Action: iam:PassRole\n"
                    '                Resource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/'
                    'gt-labeling-execution"\n'
                    '                Condition: {StringEquals: {"iam:PassedToService": sagemaker.amazonaws.com}}\n'
                ),
            ),
            Example(
                "boto3",
                fails=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'trust = {"Version": "2012-10-17", "Statement": [\n'
                    '    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:'
                    'AssumeRole"}]}\n'
                    'role = boto3.client("iam").create_role(RoleName="GroundTruthExecution", '
                    "AssumeRolePolicyDocument=json.dumps(trust))\n"
                    "# and no policy allows the role iam:PassRole on itself\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn=role["Role"]["Arn"],\n'
                    "    LabelingJobAlgorithmsConfig=algorithms_config,  # automated labeling: SageMaker assumes the "
                    "role\n"
                    "    **other_parameters,  # LabelingJobName, InputConfig, OutputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
                passes=(
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'iam = boto3.client("iam")\n'
                    'trust = {"Version": "2012-10-17", "Statement": [\n'
                    '    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:'
                    'AssumeRole"}]}\n'
                    'role = iam.create_role(RoleName="GroundTruthExecution", '
                    'AssumeRolePolicyDocument=json.dumps(trust))["Role"]\n'
                    'pass_self = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role["Arn"],\n'
                    '             "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}\n'
                    'policy = json.dumps({"Version": "2012-10-17", "Statement": [pass_self]})\n'
                    'iam.put_role_policy(RoleName="GroundTruthExecution", PolicyName="pass-self", '
                    "PolicyDocument=policy)\n"
                    'boto3.client("sagemaker").create_labeling_job(\n'
                    '    RoleArn=role["Arn"],\n'
                    "    LabelingJobAlgorithmsConfig=algorithms_config,  # automated labeling: SageMaker assumes the "
                    "role\n"
                    "    **other_parameters,  # LabelingJobName, InputConfig, OutputConfig, HumanTaskConfig, ...\n"
                    ")\n"
                ),
            ),
        ),
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


def find_by_any_id(name: str) -> Rule | None:
    """A rule by its own id or by a host's (CKV_GTL_003, E9103, W9103, I9103)."""
    wanted = name.upper()
    return find(wanted) or next((rule for rule in RULES if wanted in {
        rule.checkov_id, rule.cfn_lint_id, rule.cfn_lint_note_id, rule.cfn_lint_warning_id} - {"", None}), None)
