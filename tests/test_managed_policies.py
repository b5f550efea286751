"""gtlint's hand-written table of AWS managed policies, checked against a snapshot of the real documents."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import gtlint.sources.policy_document as policy_document
import pytest
from gtlint.iam import Access, Outcome, Policy, Term, evaluate
from gtlint.managed_policies import MANAGED_POLICIES, managed_policy, managed_policy_name
from gtlint.request import PARTITION, Location

SNAPSHOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "aws-managed-policies.json"
if not SNAPSHOT.is_file():
    pytest.skip(f"the AWS managed policy snapshot {SNAPSHOT} is not present", allow_module_level=True)

REFERENCE: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))

KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SAGEMAKER_ROLE = "arn:aws:iam::111122223333:role/AmazonSageMaker-Execution"
OTHER_ROLE = "arn:aws:iam::111122223333:role/other"
ACTIONS = [
    "kms:CreateGrant", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DescribeKey",
    "kms:ListAliases", "iam:PassRole",
]
RESOURCES = [KEY, SAGEMAKER_ROLE, OTHER_ROLE]
CONTEXTS: list[dict[str, str]] = [
    {}, {"iam:PassedToService": "sagemaker.amazonaws.com"}, {"iam:PassedToService": "glue.amazonaws.com"},
]
PROBES = list(itertools.product(RESOURCES, CONTEXTS))


def table(name: str, partition: str = "aws") -> Policy:
    return managed_policy(name, partition, Location("t"))


def reference(name: str) -> Policy:
    return policy_document.policy_from_plain(REFERENCE[name]["Document"], f"reference {name}", Location("reference"))


def outcome(policy: Policy, action: str, resource: str, context: dict[str, str] | None = None) -> Outcome:
    return evaluate([policy], Access(action, Term(resource), context=context or {})).outcome


def probe_label(resource: str, context: dict[str, str]) -> str:
    return f"{resource} {context or 'no context'}"


@pytest.mark.parametrize("name", sorted(MANAGED_POLICIES))
def test_table_policy_is_in_the_snapshot(name: str) -> None:
    assert name in REFERENCE, f"{name} is not an AWS managed policy in the snapshot"
    assert not reference(name).unknown


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("name", sorted(MANAGED_POLICIES))
def test_table_agrees_with_the_snapshot(name: str, action: str) -> None:
    ours, theirs = table(name), reference(name)
    assert not ours.unknown
    differences = []
    for resource, context in PROBES:
        mine, real = outcome(ours, action, resource, context), outcome(theirs, action, resource, context)
        if mine is not real:
            differences.append(f"{probe_label(resource, context)}: table {mine.name}, snapshot {real.name}")
    assert not differences, f"{name} {action}:\n" + "\n".join(differences)


@pytest.mark.parametrize("name", sorted(MANAGED_POLICIES))
def test_symbolic_partition_agrees_with_the_literal_one(name: str) -> None:
    # A template attaches managed policies with ${AWS::Partition}: the concrete aws probes see the same grants.
    literal, symbolic = table(name), table(name, PARTITION)
    for action, (resource, context) in itertools.product(ACTIONS, PROBES):
        expected = outcome(literal, action, resource, context)
        assert outcome(symbolic, action, resource, context) is expected, (action, probe_label(resource, context))


# -- facts from the snapshot (README of shared/data) ---------------------------------------------

BOTH = pytest.mark.parametrize("source", [table, reference], ids=["table", "snapshot"])


@BOTH
@pytest.mark.parametrize("action", ["kms:CreateGrant", "kms:Encrypt"])
def test_sagemaker_full_access_grants_no_key_use(source: Any, action: str) -> None:
    for context in CONTEXTS:
        assert outcome(source("AmazonSageMakerFullAccess"), action, KEY, context) is Outcome.NOT_GRANTED


@BOTH
def test_sagemaker_full_access_describes_keys(source: Any) -> None:
    assert outcome(source("AmazonSageMakerFullAccess"), "kms:DescribeKey", KEY) is Outcome.ALLOWED


@BOTH
def test_sagemaker_full_access_passes_its_roles_to_sagemaker_only(source: Any) -> None:
    full = source("AmazonSageMakerFullAccess")
    assert outcome(full, "iam:PassRole", SAGEMAKER_ROLE) is Outcome.CONDITIONAL
    assert outcome(full, "iam:PassRole", SAGEMAKER_ROLE, CONTEXTS[1]) is Outcome.ALLOWED
    assert outcome(full, "iam:PassRole", SAGEMAKER_ROLE, CONTEXTS[2]) is Outcome.ALLOWED  # glue, on *AmazonSageMaker*
    assert outcome(full, "iam:PassRole", OTHER_ROLE, CONTEXTS[1]) is Outcome.ALLOWED
    assert outcome(full, "iam:PassRole", OTHER_ROLE, CONTEXTS[2]) is Outcome.NOT_GRANTED


@BOTH
def test_power_user_grants_kms_but_not_pass_role(source: Any) -> None:
    power_user = source("PowerUserAccess")
    assert outcome(power_user, "kms:CreateGrant", KEY) is Outcome.ALLOWED
    assert outcome(power_user, "kms:Encrypt", KEY) is Outcome.ALLOWED
    for resource, context in PROBES:
        assert outcome(power_user, "iam:PassRole", resource, context) is Outcome.NOT_GRANTED


@BOTH
def test_administrator_allows_everything(source: Any) -> None:
    for action, (resource, context) in itertools.product(ACTIONS, PROBES):
        assert outcome(source("AdministratorAccess"), action, resource, context) is Outcome.ALLOWED


@BOTH
def test_ground_truth_execution_grants_no_probe(source: Any) -> None:
    for action, (resource, context) in itertools.product(ACTIONS, PROBES):
        assert outcome(source("AmazonSageMakerGroundTruthExecution"), action, resource, context) is Outcome.NOT_GRANTED


def test_policy_not_in_the_table_cannot_be_judged() -> None:
    unknown = table("AmazonEC2FullAccess")
    assert unknown.unknown
    assert "AmazonEC2FullAccess" in unknown.unknown
    assert not unknown.statements
    decision = evaluate([unknown], Access("kms:CreateGrant", Term(KEY)))
    assert decision.outcome is Outcome.UNKNOWN
    assert "AmazonEC2FullAccess" in decision.reason


def test_table_policy_is_named_and_located() -> None:
    policy = managed_policy("PowerUserAccess", "aws", Location("template.yaml", 12))
    assert policy.name == "AWS managed policy PowerUserAccess"
    assert all(statement.policy == policy.name for statement in policy.statements)


def test_table_policy_uses_the_partition_given() -> None:
    gov = table("AmazonSageMakerFullAccess", "aws-us-gov")
    gov_role = SAGEMAKER_ROLE.replace("arn:aws:", "arn:aws-us-gov:")
    assert outcome(gov, "iam:PassRole", gov_role, CONTEXTS[1]) is Outcome.ALLOWED
    assert outcome(gov, "iam:PassRole", SAGEMAKER_ROLE, CONTEXTS[1]) is Outcome.NOT_GRANTED


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        ("arn:aws-us-gov:iam::aws:policy/service-role/AmazonSageMakerFullAccess", "AmazonSageMakerFullAccess"),
        ("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ("arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess"),
        ("arn:aws:iam::aws:policy/a/b/PowerUserAccess", "PowerUserAccess"),
        (f"arn:{PARTITION}:iam::aws:policy/service-role/AmazonSageMakerFullAccess", "AmazonSageMakerFullAccess"),
        ("arn:aws:iam::111122223333:policy/AdministratorAccess", None),  # customer managed
        ("arn:aws:iam::aws:role/AdministratorAccess", None),
        ("AdministratorAccess", None),
        ("arn:aws:iam::aws:policy/", None),
    ],
)
def test_managed_policy_name(arn: str, name: str | None) -> None:
    assert managed_policy_name(arn) == name

