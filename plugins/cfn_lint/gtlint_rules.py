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
            rule = catalogue.get(self.rule_id)
            self.child_rules = {child: None for child in (rule.cfn_lint_note_id, rule.cfn_lint_warning_id) if child}

    def match(self, cfn):
        rule = catalogue.get(self.rule_id)
        reporters = {"note": self.child_rules.get(rule.cfn_lint_note_id), rule.level: self}
        if rule.cfn_lint_warning_id:
            reporters["warning"] = self.child_rules.get(rule.cfn_lint_warning_id)
        matches = []
        for finding in template_findings(cfn):
            reporter = reporters.get(finding.level) if finding.rule_id == self.rule_id else None
            if reporter is not None:  # a child rule is None when cfn-lint does not run it (-c I for notes)
                matches.append(RuleMatch(list(finding.location.doc_path), finding.message, rule=reporter))
        return matches


_CHILD_TITLES = {"note": " (cannot be decided statically)", "warning": " (only under a condition)"}


def _describe(rule_id: str, child: str = "") -> dict:
    rule = catalogue.get(rule_id)
    ids = {"": rule.cfn_lint_id, "note": rule.cfn_lint_note_id, "warning": rule.cfn_lint_warning_id}
    return {
        "id": ids[child],
        "shortdesc": f"{rule.title}{_CHILD_TITLES.get(child, '')}",
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
    locals().update(_describe("GTL001", "note"))


class OutputKeyUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL002", "note"))


class VolumeKeyGrantUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL003", "note"))


class OutputKeyEncryptUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL004", "note"))


class KeyIdentifierUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL005", "note"))


class KeyPolicyUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL006", "note"))


class RoleUsableUndecided(CloudFormationLintRule):
    locals().update(_describe("GTL007", "note"))


class VolumeKeyConditional(CloudFormationLintRule):
    locals().update(_describe("GTL001", "warning"))


class VolumeKeyGrantConditional(CloudFormationLintRule):
    locals().update(_describe("GTL003", "warning"))


class OutputKeyEncryptConditional(CloudFormationLintRule):
    locals().update(_describe("GTL004", "warning"))


class KeyIdentifierConditional(CloudFormationLintRule):
    locals().update(_describe("GTL005", "warning"))
