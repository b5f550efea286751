"""What a fixture's name promises: `<RULE>-<slug>.<pass|fail|note>[.<ext>]`, a file or a folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_NAME = re.compile(r"(GTL\d{3})-[a-z0-9-]+\.(pass|fail|note)(?:\.[a-z.]+)?\Z")
OUTCOMES = ("pass", "fail", "note")


@dataclass(frozen=True)
class Fixture:
    path: Path  # a file, or a Terraform module folder
    form: str  # the fixtures/ subfolder
    rule_id: str
    outcome: str

    @property
    def relative(self) -> str:
        return self.path.relative_to(FIXTURES).as_posix()


def fixtures() -> list[Fixture]:
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        match = _NAME.match(path.name)
        if not match or (path.is_file() and _NAME.match(path.parent.name)):
            continue  # files inside a fixture folder belong to it
        form = path.relative_to(FIXTURES).parts[0]
        found.append(Fixture(path, form, match.group(1), match.group(2)))
    return found


def outcome_of(levels: set[str]) -> str:
    """A rule's outcome from the levels it reported."""
    if levels & {"error", "warning"}:
        return "fail"
    return "note" if "note" in levels else "pass"
