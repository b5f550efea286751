"""The catalogue's per-language examples: one per language, valid syntax, and gtlint agrees with them."""

from __future__ import annotations

import ast
from pathlib import Path

import hcl2
import pytest
from gtlint import catalogue
from gtlint.document import load_yaml
from gtlint.scan import scan

LANGUAGES = ("terraform", "cloudformation", "boto3")
# Rules whose Terraform and CloudFormation examples are complete enough to be scanned as they are.
SCANNED_RULES = ("GTL001", "GTL002", "GTL005")
SCANNED_LANGUAGES = ("terraform", "cloudformation")


def _examples(*languages: str) -> list[tuple[catalogue.Rule, catalogue.Example, str]]:
    return [
        (rule, example, kind)
        for rule in catalogue.REQUEST_RULES
        for example in rule.examples
        if example.language in languages
        for kind in ("fails", "passes")
    ]


def _ids(cases: list[tuple[catalogue.Rule, catalogue.Example, str]]) -> list[str]:
    return [f"{rule.id}-{example.language}-{kind}" for rule, example, kind in cases]


ALL = _examples(*LANGUAGES)
BOTO3 = _examples("boto3")
CLOUDFORMATION = _examples("cloudformation")
TERRAFORM = _examples("terraform")
SCANNED = [case for case in _examples(*SCANNED_LANGUAGES) if case[0].id in SCANNED_RULES]


@pytest.mark.parametrize("rule", catalogue.REQUEST_RULES, ids=[rule.id for rule in catalogue.REQUEST_RULES])
def test_every_request_rule_has_one_example_per_language(rule: catalogue.Rule) -> None:
    assert [example.language for example in rule.examples] == list(LANGUAGES)


def test_suppression_rules_have_no_examples() -> None:
    assert [rule.id for rule in catalogue.RULES if not rule.about_requests and rule.examples] == []


def test_the_scanned_rules_are_request_rules() -> None:
    assert set(SCANNED_RULES) <= {rule.id for rule in catalogue.REQUEST_RULES}
    assert len(SCANNED) == len(SCANNED_RULES) * len(SCANNED_LANGUAGES) * 2


@pytest.mark.parametrize(("rule", "example", "kind"), ALL, ids=_ids(ALL))
def test_snippets_are_short_and_end_with_a_newline(rule: catalogue.Rule, example: catalogue.Example,
                                                   kind: str) -> None:
    text = getattr(example, kind)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert text.strip()
    assert len(text.splitlines()) <= 20
    assert example.fails != example.passes


@pytest.mark.parametrize(("rule", "example", "kind"), BOTO3, ids=_ids(BOTO3))
def test_boto3_snippets_are_python(rule: catalogue.Rule, example: catalogue.Example, kind: str) -> None:
    text = getattr(example, kind)
    ast.parse(text)
    assert "create_labeling_job(" in text


@pytest.mark.parametrize(("rule", "example", "kind"), CLOUDFORMATION, ids=_ids(CLOUDFORMATION))
def test_cloudformation_snippets_are_yaml(rule: catalogue.Rule, example: catalogue.Example, kind: str) -> None:
    document = load_yaml(getattr(example, kind))  # gtlint's own loader: it knows !GetAtt, !Sub and !Ref
    assert isinstance(document, dict)
    assert isinstance(document.get("Resources"), dict)


@pytest.mark.parametrize(("rule", "example", "kind"), TERRAFORM, ids=_ids(TERRAFORM))
def test_terraform_snippets_are_hcl(rule: catalogue.Rule, example: catalogue.Example, kind: str) -> None:
    document = hcl2.loads(getattr(example, kind))
    assert document.get("resource")


@pytest.mark.parametrize(("rule", "example", "kind"), SCANNED, ids=_ids(SCANNED))
def test_gtlint_agrees_with_the_example(rule: catalogue.Rule, example: catalogue.Example, kind: str,
                                        tmp_path: Path) -> None:
    name = "main.tf" if example.language == "terraform" else "template.yaml"
    (tmp_path / name).write_text(getattr(example, kind), encoding="utf-8")
    result = scan([str(tmp_path)])
    assert result.errors == []
    assert result.requests == 1
    found = [finding for finding in result.findings if finding.rule_id == rule.id]
    if kind == "fails":
        assert [finding for finding in found if finding.level in ("error", "warning")], (
            f"the failing {example.language} example of {rule.id} gives no {rule.id} error or warning"
        )
    else:
        assert found == [], [finding.message for finding in found]
