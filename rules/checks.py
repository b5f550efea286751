"""The rules, as pure functions from a normalized request to findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gtlint import catalogue
from gtlint.catalogue import Level
from gtlint.request import Assumption, FieldValue, LabelingJobRequest, Location, State, resolve


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: Level
    message: str
    location: Location
    subject: str  # the request the finding is about

    @property
    def rule(self) -> catalogue.Rule:
        return catalogue.get(self.rule_id)


VOLUME_KEY = ("LabelingJobAlgorithmsConfig", "LabelingJobResourceConfig", "VolumeKmsKeyId")
OUTPUT_KEY = ("OutputConfig", "KmsKeyId")

_PARTITION = r"aws(?:-[a-z]+)*"
_KEY_ID = r"(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})"
_ALIAS = r"alias/[a-zA-Z0-9/_-]{1,250}"
_KMS_ARN = rf"arn:{_PARTITION}:kms:[a-z0-9-]+:\d{{12}}:"
KEY_ID = re.compile(rf"{_KEY_ID}\Z")
KEY_ARN = re.compile(rf"{_KMS_ARN}key/{_KEY_ID}\Z")
ALIAS_NAME = re.compile(rf"{_ALIAS}\Z")
ALIAS_ARN = re.compile(rf"{_KMS_ARN}{_ALIAS}\Z")
AWS_MANAGED_S3 = re.compile(rf"(?:{_KMS_ARN})?alias/aws/s3\Z")


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _when(assumptions: tuple[Assumption, ...]) -> str:
    if not assumptions:
        return ""
    branches = " and ".join(f"condition {name} is {str(taken).lower()}" for name, taken in assumptions)
    return f" when {branches}"


def _finding(rule_id: str, request: LabelingJobRequest, outcome: FieldValue, message: str,
             level: Level | None = None) -> Finding:
    return Finding(rule_id, level or catalogue.get(rule_id).level, message, outcome.location, request.name)


def _note(rule_id: str, request: LabelingJobRequest, outcome: FieldValue, what: str) -> Finding:
    message = f"{what} cannot be decided statically{_when(outcome.assumptions)}: {outcome.reason}"
    return _finding(rule_id, request, outcome, message, "note")


def _nested(request: LabelingJobRequest, path: tuple[str, ...]) -> Iterator[tuple[FieldValue, FieldValue]]:
    """Each (parent, field) outcome of `path`, where the parent is its first element."""
    for parent in request.field(path[0]):
        if parent.state is State.LITERAL and isinstance(parent.literal, dict):
            for outcome in resolve(parent.node, path[1:], parent.assumptions):
                yield parent, outcome
        else:
            yield parent, parent


def _key_findings(
    rule_id: str, request: LabelingJobRequest, path: tuple[str, ...], consequence: str, parent_required: bool
) -> tuple[list[Finding], list[FieldValue]]:
    """Notes and findings for a key that must be set below `path[0]`, and the outcomes where it is set.

    With `parent_required`, an absent parent means the rule does not apply (no automated labeling).
    """
    findings: list[Finding] = []
    present: list[FieldValue] = []
    for parent, key in _nested(request, path):
        if parent.state is State.ABSENT and parent_required:
            continue
        if parent.state in (State.UNKNOWN, State.REFERENCE):
            findings.append(_note(rule_id, request, _with_reason(parent), path[0]))
        elif key.state is State.UNKNOWN:
            findings.append(_note(rule_id, request, key, _dotted(path)))
        elif key.is_blank:
            how = "is empty" if key.state is State.LITERAL else "is not set"
            findings.append(_finding(rule_id, request, key, f"{_dotted(path)} {how}{_when(key.assumptions)}: "
                                     f"{consequence}"))
        else:
            present.append(key)
    return findings, present


def check_volume_key_set(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL001: automated labeling without a customer managed volume key."""
    findings, _ = _key_findings(
        "GTL001", request, VOLUME_KEY,
        "the automated labeling instances' storage volume is not encrypted with a customer managed KMS key. "
        "Set it to a KMS key ID or ARN.",
        parent_required=True,
    )
    yield from findings


def check_output_key_set(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL002: output encrypted with the AWS managed aws/s3 key."""
    findings, present = _key_findings(
        "GTL002", request, OUTPUT_KEY,
        "output is encrypted with the AWS managed key aws/s3. Set OutputConfig.KmsKeyId to a customer managed KMS key.",
        parent_required=False,
    )
    yield from findings
    for key in present:
        if isinstance(key.literal, str) and AWS_MANAGED_S3.match(key.literal):
            yield _finding(
                "GTL002", request, key,
                f"{_dotted(OUTPUT_KEY)} is the AWS managed key {key.literal}{_when(key.assumptions)}: its policy "
                "cannot be restricted. Use a customer managed KMS key.",
            )


def _with_reason(outcome: FieldValue) -> FieldValue:
    """A reference where an object is expected: say which one."""
    if outcome.state is State.REFERENCE and outcome.node is not None:
        expression = getattr(outcome.node.value, "expression", "a reference")
        reason = f"it is {expression}, only known at deploy time"
        return FieldValue(State.UNKNOWN, outcome.node, outcome.location, reason, outcome.assumptions)
    return outcome


_ACCEPTED_FORMS: dict[tuple[str, ...], tuple[tuple[re.Pattern[str], ...], str]] = {
    VOLUME_KEY: ((KEY_ID, KEY_ARN), "a key ID or key ARN (aliases are not accepted here)"),
    OUTPUT_KEY: ((KEY_ID, KEY_ARN, ALIAS_NAME, ALIAS_ARN), "a key ID, key ARN, alias name or alias ARN"),
}


def check_key_identifier_form(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL005: a literal key identifier in a form its field does not accept."""
    for path, (patterns, expected) in _ACCEPTED_FORMS.items():
        for _, key in _nested(request, path):
            value = key.literal
            if key.state is not State.LITERAL or key.is_blank or key.node is None:
                continue  # references and unknowns are not judged; blanks are GTL001/GTL002's
            if isinstance(value, str) and any(pattern.match(value) for pattern in patterns):
                continue
            yield _finding(
                "GTL005", request, key,
                f"{_dotted(path)} is {value!r}{_when(key.assumptions)}, which is not {expected}.",
            )


CHECKS: dict[str, Callable[[LabelingJobRequest], Iterable[Finding]]] = {
    "GTL001": check_volume_key_set,
    "GTL002": check_output_key_set,
    "GTL005": check_key_identifier_form,
}


def run_checks(request: LabelingJobRequest, rule_ids: Iterable[str] | None = None) -> list[Finding]:
    """All findings for one request, without duplicates, in a stable order."""
    selected = CHECKS if rule_ids is None else {rule_id: CHECKS[rule_id] for rule_id in rule_ids}
    seen: dict[tuple, Finding] = {}
    for check in selected.values():
        for finding in check(request):
            seen.setdefault((finding.rule_id, finding.level, finding.location, finding.message), finding)
    return list(seen.values())
