"""The fixtures cover every rule in every form it applies to, and the catalogue drives everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fixture_names import FIXTURES, fixtures
from gtlint import catalogue, checks
from gtlint.cli import rules_markdown

ROOT = FIXTURES.parent
FIXTURE_DATA = {"account-authorization-details.json"}  # the snapshot the iam-snapshot/ fixtures are scanned with
COVERAGE = {(fixture.rule_id, fixture.form, fixture.outcome) for fixture in fixtures()}


@pytest.mark.parametrize("rule", catalogue.RULES, ids=[rule.id for rule in catalogue.RULES])
@pytest.mark.parametrize("outcome", ["pass", "fail"])
def test_every_rule_has_a_fixture_per_form_and_outcome(rule: catalogue.Rule, outcome: str) -> None:
    missing = [form for form in rule.forms if (rule.id, form, outcome) not in COVERAGE]
    assert missing == [], f"{rule.id} has no {outcome} fixture for {missing}"


def test_every_fixture_name_follows_the_scheme() -> None:
    named = {fixture.path for fixture in fixtures()}
    stray = [
        path.relative_to(FIXTURES).as_posix() for path in FIXTURES.rglob("*")
        if path.is_file() and path.parts[len(FIXTURES.parts)] != "bad-input" and path.name not in FIXTURE_DATA
        and not any(path == fixture or fixture in path.parents for fixture in named)
    ]
    assert stray == []


def test_catalogue_and_checks_name_the_same_rules() -> None:
    assert [rule.id for rule in catalogue.REQUEST_RULES] == list(checks.CHECKS)


def test_host_ids_are_unique_and_well_formed() -> None:
    ids = [getattr(rule, attribute) for rule in catalogue.REQUEST_RULES
           for attribute in ("checkov_id", "cfn_lint_id", "cfn_lint_note_id", "cfn_lint_warning_id")]
    present = [host_id for host_id in ids if host_id]
    assert len(set(present)) == len(present)
    assert [rule.cfn_lint_id for rule in catalogue.REQUEST_RULES] == [
        "E9101", "W9102", "E9103", "E9104", "E9105", "W9106", "W9107"]
    assert [rule.checkov_id for rule in catalogue.REQUEST_RULES] == [f"CKV_GTL_00{n}" for n in range(1, 8)]


def test_readme_rule_table_and_sections_are_generated_from_the_catalogue() -> None:
    """Regenerate with `gtlint rules --format markdown` (the table, then a section per rule)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rules_markdown() in readme
    assert [line for line in readme.splitlines() if line.startswith("### GTL")] == [
        f"### {rule.id} {rule.title}" for rule in catalogue.RULES
    ]


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    completed = subprocess.run([str(ruff), "check", "rules", "plugins", "tests"], cwd=ROOT,
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout


MODULES = sorted(
    "gtlint." + ".".join(path.relative_to(ROOT / "rules").with_suffix("").parts)
    for path in (ROOT / "rules").rglob("*.py") if path.name != "__init__.py"
)


def test_every_module_can_be_imported_first() -> None:
    """No import cycle hides behind the order the tests happen to import modules in."""
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    failed = [name for name in MODULES
              if subprocess.run([sys.executable, "-c", script, name], capture_output=True, check=False).returncode]
    assert failed == []
