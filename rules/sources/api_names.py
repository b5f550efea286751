"""The CreateLabelingJob request's member names, to read sources that spell them differently.

Kubernetes (ACK) writes `volumeKMSKeyID`, the AWS CLI `--labeling-job-algorithms-config`: both
are the API's names with case and hyphens changed, so a name matches its member ignoring both.
"""

from __future__ import annotations

MEMBERS = (
    "LabelingJobName", "LabelAttributeName", "InputConfig", "DataSource", "S3DataSource", "ManifestS3Uri",
    "SnsDataSource", "SnsTopicArn", "DataAttributes", "ContentClassifiers", "OutputConfig", "S3OutputPath",
    "KmsKeyId", "RoleArn", "LabelCategoryConfigS3Uri", "StoppingConditions", "MaxHumanLabeledObjectCount",
    "MaxPercentageOfInputDatasetLabeled", "LabelingJobAlgorithmsConfig", "LabelingJobAlgorithmSpecificationArn",
    "InitialActiveLearningModelArn", "LabelingJobResourceConfig", "VolumeKmsKeyId", "VpcConfig",
    "SecurityGroupIds", "Subnets", "HumanTaskConfig", "WorkteamArn", "UiConfig", "UiTemplateS3Uri",
    "HumanTaskUiArn", "PreHumanTaskLambdaArn", "TaskKeywords", "TaskTitle", "TaskDescription",
    "NumberOfHumanWorkersPerDataObject", "TaskTimeLimitInSeconds", "TaskAvailabilityLifetimeInSeconds",
    "MaxConcurrentTaskCount", "AnnotationConsolidationConfig", "AnnotationConsolidationLambdaArn",
    "PublicWorkforceTaskPrice", "AmountInUsd", "Dollars", "Cents", "TenthFractionsOfACent", "Tags", "Key", "Value",
)
_BY_FOLDED = {name.lower(): name for name in MEMBERS}


def api_name(name: str) -> str:
    """The API member `name` stands for: `volumeKMSKeyID` and `volume-kms-key-id` are `VolumeKmsKeyId`."""
    folded = name.replace("-", "").lower()
    return _BY_FOLDED.get(folded, name[:1].upper() + name[1:])
