"""The rules, as pure functions from a normalized request to findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from gtlint import access
from gtlint.environment import IamContext
from gtlint.findings import Finding, dotted, finding, note, when
from gtlint.keys import ALIAS_ARN, ALIAS_NAME, AWS_MANAGED_S3, KEY_ARN, KEY_ID
from gtlint.request import OUTPUT_KEY, VOLUME_KEY, FieldValue, LabelingJobRequest, State, nested_field


def _key_findings(
    rule_id: str, request: LabelingJobRequest, path: tuple[str, ...], consequence: str, parent_required: bool
) -> tuple[list[Finding], list[FieldValue]]:
    """Notes and findings for a key that must be set below `path[0]`, and the outcomes where it is set.

    With `parent_required`, an absent parent means the rule does not apply (no automated labeling).
    """
    findings: list[Finding] = []
    present: list[FieldValue] = []
    for parent, key in nested_field(request, path):
        if parent.state is State.ABSENT and parent_required:
            continue
        if parent.state in (State.UNKNOWN, State.REFERENCE):
            findings.append(note(rule_id, request, _with_reason(parent), path[0]))
        elif key.state is State.UNKNOWN:
            findings.append(note(rule_id, request, key, dotted(path)))
        elif key.is_blank:
            how = "is empty" if key.state is State.LITERAL else "is not set"
            findings.append(finding(rule_id, request, key, f"{dotted(path)} {how}{when(key.assumptions)}: "
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
            yield finding(
                "GTL002", request, key,
                f"{dotted(OUTPUT_KEY)} is the AWS managed key {key.literal}{when(key.assumptions)}: its policy "
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
        for _, key in nested_field(request, path):
            value = key.literal
            if key.state is not State.LITERAL or key.is_blank or key.node is None:
                continue  # references and unknowns are not judged; blanks are GTL001/GTL002's
            if isinstance(value, str) and any(pattern.match(value) for pattern in patterns):
                continue
            yield finding(
                "GTL005", request, key,
                f"{dotted(path)} is {value!r}{when(key.assumptions)}, which is not {expected}.",
            )


CHECKS: dict[str, Callable[[LabelingJobRequest], Iterable[Finding]]] = {
    "GTL001": check_volume_key_set,
    "GTL002": check_output_key_set,
    "GTL003": access.check_volume_key_grant,
    "GTL004": access.check_output_key_encrypt,
    "GTL005": check_key_identifier_form,
    "GTL006": access.check_key_policy,
    "GTL007": access.check_role_usable,
}


def run_checks(request: LabelingJobRequest, rule_ids: Iterable[str] | None = None,
               snapshot: IamContext | None = None) -> list[Finding]:
    """All findings for one request, without duplicates, in a stable order.

    `snapshot` holds what an account snapshot knows of roles outside the scanned code.
    """
    selected = CHECKS if rule_ids is None else {rule_id: CHECKS[rule_id] for rule_id in rule_ids}
    request = replace(request, context=(request.context or IamContext()).with_outside(snapshot))
    seen: dict[tuple, Finding] = {}
    for check in selected.values():
        for found in check(request):
            seen.setdefault((found.rule_id, found.level, found.location, found.message), found)
    return list(seen.values())
