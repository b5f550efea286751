"""gtlint's rules as Checkov checks for CloudFormation, SAM and CDK output."""

import pathlib
import runpy

runpy.run_path(str(pathlib.Path(__file__).resolve().parents[1] / "clone_import.py"))  # a plain clone works too

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck  # noqa: E402
from gtlint.plugins.checkov_host import describe, verdict  # noqa: E402

SUPPORTED = [
    "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine", "AWS::CloudFormation::CustomResource",
    "Custom::*",
]


class CloudFormationRule(BaseResourceCheck):
    rule_id = ""

    def __init__(self) -> None:
        describe(self, self.rule_id, SUPPORTED, BaseResourceCheck)

    def scan_resource_conf(self, conf):
        properties = conf.get("Properties")
        path = properties.get("__file__") if isinstance(properties, dict) else conf.get("__file__")
        logical_id = self.entity_path.rsplit(":", 1)[-1]
        return verdict(self, self.rule_id, path, logical_id)


class VolumeKeySet(CloudFormationRule):
    rule_id = "GTL001"


class OutputKeySet(CloudFormationRule):
    rule_id = "GTL002"


class VolumeKeyGrant(CloudFormationRule):
    rule_id = "GTL003"


class OutputKeyEncrypt(CloudFormationRule):
    rule_id = "GTL004"


class KeyIdentifierForm(CloudFormationRule):
    rule_id = "GTL005"


class KeyPolicyAllowsRole(CloudFormationRule):
    rule_id = "GTL006"


class RoleUsableBySageMaker(CloudFormationRule):
    rule_id = "GTL007"


checks = [
    VolumeKeySet(),
    OutputKeySet(),
    VolumeKeyGrant(),
    OutputKeyEncrypt(),
    KeyIdentifierForm(),
    KeyPolicyAllowsRole(),
    RoleUsableBySageMaker(),
]
