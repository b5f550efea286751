"""IAM evaluation cost: one CloudFormation template with 1,000 roles and 10,000 policy statements.

    python tests/bench/bench_iam.py [--roles 1000] [--statements 10000] [--runs 5]

Prints the median wall time of (a) reading the template's roles and policies and checking every
request, and (b) `iam.evaluate` alone on the role with the most statements, as a table and JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from gtlint.checks import run_checks
from gtlint.iam import Access, Term, evaluate
from gtlint.sources import cloudformation, cloudformation_iam
from gtlint.sources.extract import template_requests

ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/image-classification"


def template(roles: int, statements: int, jobs: int = 10) -> dict:
    """Roles with inline policies (statements spread over them), a key, and state machines using some roles."""
    resources: dict = {"VolumeKey": {"Type": "AWS::KMS::Key", "Properties": {}}}
    per_role = max(statements // roles, 1)
    for index in range(roles):
        policy_statements = [
            {"Effect": "Allow", "Action": [f"s3:GetObject{n}", "kms:Decrypt"],
             "Resource": f"arn:aws:s3:::bucket-{index}-{n}/*"} for n in range(per_role - 1)
        ]
        volume_key = {"Fn::GetAtt": ["VolumeKey", "Arn"]}
        policy_statements.append({"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": volume_key})
        resources[f"Role{index}"] = {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                        "Principal": {"Service": "sagemaker.amazonaws.com"}}]},
            "Policies": [{"PolicyName": "work", "PolicyDocument": {"Statement": policy_statements}}],
        }}
    for index in range(jobs):
        resources[f"Job{index}"] = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": {
            "StartAt": "Label", "States": {"Label": {
                "Type": "Task", "Resource": "arn:aws:states:::sagemaker:createLabelingJob.sync", "End": True,
                "Parameters": {
                    "LabelingJobName": f"job-{index}", "LabelAttributeName": "label",
                    "RoleArn": {"Fn::GetAtt": [f"Role{index * (roles // jobs)}", "Arn"]},
                    "OutputConfig": {"S3OutputPath": "s3://out/", "KmsKeyId": {"Ref": "VolumeKey"}},
                    "LabelingJobAlgorithmsConfig": {
                        "LabelingJobAlgorithmSpecificationArn": ALGORITHM,
                        "LabelingJobResourceConfig": {"VolumeKmsKeyId": {"Fn::GetAtt": ["VolumeKey", "Arn"]}},
                    },
                }}}}}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    document = template(arguments.roles, arguments.statements)

    def check_template() -> list:
        requests = template_requests(cloudformation.Template(document, "bench.json"))
        return [finding for request in requests for finding in run_checks(request)]

    context = cloudformation_iam.iam_context(cloudformation.Template(document, "bench.json"))
    role = context.roles["Role0"]
    key = context.keys["VolumeKey"].arn
    statement_count = sum(len(policy.statements) for item in context.roles.values() for policy in item.policies)
    findings = check_template()
    results = {
        "roles": len(context.roles),
        "statements": statement_count,
        "findings": len(findings),
        "check_template_seconds": median_seconds(check_template, arguments.runs),
        "evaluate_one_role_seconds": median_seconds(
            lambda: evaluate(role.policies, Access("kms:CreateGrant", key), role.boundary), arguments.runs * 20),
        "evaluate_every_role_seconds": median_seconds(
            lambda: [evaluate(item.policies, Access("kms:CreateGrant", Term(key.text, key.target)))
                     for item in context.roles.values()], arguments.runs),
    }
    width = max(map(len, results))
    for name, value in results.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        print(f"{name:<{width}}  {shown}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
