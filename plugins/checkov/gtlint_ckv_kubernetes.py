"""gtlint's rules as Checkov checks for AWS Controllers for Kubernetes `LabelingJob` manifests."""

import pathlib
import runpy

runpy.run_path(str(pathlib.Path(__file__).resolve().parents[1] / "clone_import.py"))  # a plain clone works too

from checkov.common.models.enums import CheckResult  # noqa: E402
from checkov.kubernetes.checks.resource.base_spec_check import BaseK8Check  # noqa: E402
from gtlint.plugins.checkov_host import describe, verdict  # noqa: E402
from gtlint.sources.kubernetes import KIND, is_labeling_job  # noqa: E402


class KubernetesRule(BaseK8Check):
    rule_id = ""

    def __init__(self) -> None:
        describe(self, self.rule_id, [KIND], BaseK8Check, supported_keyword="supported_entities")

    def scan_spec_conf(self, conf):
        if not is_labeling_job(conf):  # Checkov matches the kind only; another API group's LabelingJob is not ours
            return CheckResult.UNKNOWN
        path = self.entity_path.rsplit(":", 2)[0]  # "<file>:<kind>:<kind>"
        metadata = conf.get("metadata")
        name = str(metadata.get("name", KIND)) if isinstance(metadata, dict) else KIND
        return verdict(self, self.rule_id, path, name)


class VolumeKeySet(KubernetesRule):
    rule_id = "GTL001"


class OutputKeySet(KubernetesRule):
    rule_id = "GTL002"


class VolumeKeyGrant(KubernetesRule):
    rule_id = "GTL003"


class OutputKeyEncrypt(KubernetesRule):
    rule_id = "GTL004"


class KeyIdentifierForm(KubernetesRule):
    rule_id = "GTL005"


class KeyPolicyAllowsRole(KubernetesRule):
    rule_id = "GTL006"


class RoleUsableBySageMaker(KubernetesRule):
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
