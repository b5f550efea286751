"""A finding, and the wording every rule shares."""

from __future__ import annotations

from dataclasses import dataclass

from gtlint import catalogue
from gtlint.catalogue import Level
from gtlint.request import Assumption, FieldValue, LabelingJobRequest, Location


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: Level
    message: str
    location: Location
    subject: str  # the request the finding is about
    origin: str = ""  # the scanned file (or Terraform folder) the request was found in

    @property
    def rule(self) -> catalogue.Rule:
        return catalogue.get(self.rule_id)


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def when(assumptions: tuple[Assumption, ...]) -> str:
    """ " when condition X is true", for a finding on one branch of a condition."""
    if not assumptions:
        return ""
    branches = " and ".join(f"condition {name} is {str(taken).lower()}" for name, taken in assumptions)
    return f" when {branches}"


def finding(rule_id: str, request: LabelingJobRequest, outcome: FieldValue, message: str,
            level: Level | None = None) -> Finding:
    return Finding(rule_id, level or catalogue.get(rule_id).level, message, outcome.location, request.name)


def note(rule_id: str, request: LabelingJobRequest, outcome: FieldValue, what: str) -> Finding:
    message = f"{what} cannot be decided statically{when(outcome.assumptions)}: {outcome.reason}"
    return finding(rule_id, request, outcome, message, "note")


def first_line(error: Exception) -> str:
    """An exception's message, on one line for every report format (its type when it has none)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def internal_error(error: Exception) -> str:
    """What is said of a file or entity gtlint failed on: a bug to report, never a pass."""
    return f"internal error ({type(error).__name__}: {first_line(error)}); please report it to gtlint"
