"""gtlint's rules as Checkov checks for Terraform (HCL and plan JSON)."""

import pathlib
import runpy

runpy.run_path(str(pathlib.Path(__file__).resolve().parents[1] / "clone_import.py"))  # a plain clone works too

from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck  # noqa: E402
from gtlint.plugins.checkov_host import describe, terraform_file, verdict  # noqa: E402

# terraform_data and null_resource: a local-exec provisioner may run `aws sagemaker create-labeling-job`
SUPPORTED = ["aws_sagemaker_labeling_job", "aws_sfn_state_machine", "terraform_data", "null_resource"]


class TerraformRule(BaseResourceCheck):
    rule_id = ""

    def __init__(self) -> None:
        describe(self, self.rule_id, SUPPORTED, BaseResourceCheck)

    def scan_resource_conf(self, conf):
        address = conf.get("__address__", "")
        return verdict(self, self.rule_id, terraform_file(self.graph, address, self.entity_path), address)


class VolumeKeySet(TerraformRule):
    rule_id = "GTL001"


class OutputKeySet(TerraformRule):
    rule_id = "GTL002"


class VolumeKeyGrant(TerraformRule):
    rule_id = "GTL003"


class OutputKeyEncrypt(TerraformRule):
    rule_id = "GTL004"


class KeyIdentifierForm(TerraformRule):
    rule_id = "GTL005"


class KeyPolicyAllowsRole(TerraformRule):
    rule_id = "GTL006"


class RoleUsableBySageMaker(TerraformRule):
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
