"""gtlint's rules as cfn-lint rules. Each error/warning rule has an informational child rule
(I91xx) for values that cannot be decided statically; cfn-lint shows those with `-c I`."""

import pathlib
import runpy

runpy.run_path(str(pathlib.Path(__file__).resolve().parents[1] / "clone_import.py"))  # a plain clone works too

from cfnlint.rules import CloudFormationLintRule, RuleMatch  # noqa: E402
from gtlint import catalogue  # noqa: E402
from gtlint.plugins.cfn_lint_host import template_findings  # noqa: E402


class GtlintRule(CloudFormationLintRule):
    """Shared by the rules below; cfn-lint skips a rule whose id is empty."""

    rule_id = ""

    def __init__(self) -> None:
        super().__init__()
        if self.rule_id:
            self.child_rules = {catalogue.get(self.rule_id).cfn_lint_note_id: None}

    def match(self, cfn):
        note_rule = self.child_rules.get(catalogue.get(self.rule_id).cfn_lint_note_id)
        matches = []
        for finding in template_findings(cfn):
            if finding.rule_id != self.rule_id:
                continue
            if finding.level == "note" and note_rule is None:
                continue
            path = list(finding.location.doc_path)
            rule = note_rule if finding.level == "note" else self
            matches.append(RuleMatch(path, finding.message, rule=rule))
        return matches


def _describe(rule_id: str, note: bool = False) -> dict:
    rule = catalogue.get(rule_id)
    return {
        "id": rule.cfn_lint_note_id if note else rule.cfn_lint_id,
        "shortdesc": f"{rule.title}{' (cannot be decided statically)' if note else ''}",
        "description": rule.rationale,
        "source_url": rule.help_uri,
        "tags": ["gtlint", "sagemaker", "kms", rule.id],
    }


class VolumeKeySet(GtlintRule):
    rule_id = "GTL001"
    locals().update(_describe("GTL001"))


class OutputKeySet(GtlintRule):
    rule_id = "GTL002"
    locals().update(_describe("GTL002"))


class VolumeKeyGrant(GtlintRule):
    rule_id = "GTL003"
    locals().update(_describe("GTL003"))


class OutputKeyEncrypt(GtlintRule):
    rule_id = "GTL004"
    locals().update(_describe("GTL004"))


class KeyIdentifierForm(GtlintRule):
    rule_id = "GTL005"
    locals().update(_describe("GTL005"))


class KeyPolicyAllowsRole(GtlintRule):
    rule_id = "GTL006"
    locals().update(_describe("GTL006"))


class RoleUsableBySageMaker(GtlintRule):
    rule_id = "GTL007"
    locals().update(_describe("GTL007"))


class VolumeKeyUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL001", note=True))


class OutputKeyUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL002", note=True))


class VolumeKeyGrantUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL003", note=True))


class OutputKeyEncryptUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL004", note=True))


class KeyIdentifierUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL005", note=True))


class KeyPolicyUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL006", note=True))


class RoleUsableUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL007", note=True))
