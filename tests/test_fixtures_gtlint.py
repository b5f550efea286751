"""Every fixture gets exactly the outcome its name promises from `gtlint scan`."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_names import FIXTURES as ROOT
from fixture_names import Fixture, fixtures, outcome_of
from gtlint.environment import IamContext
from gtlint.scan import ScanResult, scan
from gtlint.snapshot import load_snapshot

FIXTURES = fixtures()
SNAPSHOT = ROOT / "iam-snapshot" / "account-authorization-details.json"


def scan_fixture(fixture: Fixture) -> ScanResult:
    """Fixtures in iam-snapshot/ are scanned as `gtlint scan --iam-snapshot` would, with that folder's snapshot."""
    snapshot: IamContext | None = load_snapshot(str(SNAPSHOT)) if fixture.form == "iam-snapshot" else None
    return scan([str(fixture.path)], snapshot=snapshot)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[fixture.relative for fixture in FIXTURES])
def test_named_rule_has_the_named_outcome(fixture: Fixture) -> None:
    result = scan_fixture(fixture)
    levels = {finding.level for finding in result.findings if finding.rule_id == fixture.rule_id}
    assert result.errors == []
    assert outcome_of(levels) == fixture.outcome


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.outcome == "pass"],
                         ids=[f.relative for f in FIXTURES if f.outcome == "pass"])
def test_pass_fixtures_are_clean(fixture: Fixture) -> None:
    """A pass fixture shows a correct request: no rule reports an error or a warning.

    Notes may remain where a fixture, to stay small, names a role defined elsewhere; the named
    rule itself reports nothing (checked above).
    """
    assert [f for f in scan_fixture(fixture).findings if f.level != "note"] == []


def test_every_finding_points_at_a_place_in_its_file() -> None:
    """Lines and columns are the file's, even for documents held in strings (one-line JSON, Fn::Join)."""
    outside = []
    for finding in scan([str(ROOT)]).findings:
        location = finding.location
        if not location.line:
            continue
        lines = Path(location.file).read_text(encoding="utf-8").splitlines()
        if location.line > len(lines) or location.column > len(lines[location.line - 1]) + 1:
            outside.append((location.file, location.line, location.column, finding.rule_id))
    assert outside == []
