"""gtlint's own suppressions: comments on or above the line, CloudFormation Metadata, and what they report."""

from __future__ import annotations

import shutil
from pathlib import Path

from fixture_names import FIXTURES
from gtlint.scan import scan

TEMPLATE = FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml"
MODULE = FIXTURES / "terraform" / "GTL001-resource-no-resource-config.fail"


def rule_levels(path: Path, report_unused: bool = False) -> list[tuple[str, str, int]]:
    result = scan([str(path)], report_unused_ignores=report_unused)
    return [(f.rule_id, f.level, f.location.line) for f in result.findings]


def line_of(path: Path, rule_id: str) -> int:
    (line,) = {line for found, _, line in rule_levels(path) if found == rule_id}
    return line


def with_comment(source: Path, target: Path, line: int, comment: str, above: bool = False) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    if above:
        indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
        lines.insert(line - 1, f"{indent}{comment}")
    else:
        lines[line - 1] += f"  {comment}"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_a_comment_at_the_end_of_the_line_suppresses_the_finding(tmp_path: Path) -> None:
    line = line_of(TEMPLATE, "GTL001")
    path = with_comment(TEMPLATE, tmp_path / "t.yaml", line, "# gtlint: ignore[GTL001] volume is scratch data only")
    assert [finding for finding in rule_levels(path) if finding[0] == "GTL001"] == []
    assert scan([str(path)]).suppressed == 1


def test_a_comment_alone_on_the_line_above_suppresses_the_next_line(tmp_path: Path) -> None:
    line = line_of(TEMPLATE, "GTL001")
    path = with_comment(TEMPLATE, tmp_path / "t.yaml", line, "# gtlint: ignore[GTL002, GTL001] scratch", above=True)
    assert [finding for finding in rule_levels(path) if finding[0] == "GTL001"] == []


def test_a_comment_for_another_rule_or_line_suppresses_nothing(tmp_path: Path) -> None:
    line = line_of(TEMPLATE, "GTL001")
    other_rule = with_comment(TEMPLATE, tmp_path / "a.yaml", line, "# gtlint: ignore[GTL002] not this one")
    other_line = with_comment(TEMPLATE, tmp_path / "b.yaml", line - 1, "# gtlint: ignore[GTL001] wrong line")
    assert ("GTL001", "error", line) in rule_levels(other_rule)
    assert ("GTL001", "error", line) in rule_levels(other_line)


def test_a_suppression_without_a_reason_is_reported(tmp_path: Path) -> None:
    line = line_of(TEMPLATE, "GTL001")
    path = with_comment(TEMPLATE, tmp_path / "t.yaml", line, "# gtlint: ignore[GTL001]")
    findings = rule_levels(path)
    assert [finding for finding in findings if finding[0] in ("GTL001", "GTL900")] == [("GTL900", "warning", line)]


def test_unused_suppressions_are_reported_only_when_asked(tmp_path: Path) -> None:
    path = with_comment(TEMPLATE, tmp_path / "t.yaml", 3, "# gtlint: ignore[GTL005] nothing to see here")
    assert [f for f in rule_levels(path) if f[0] == "GTL901"] == []
    assert [f for f in rule_levels(path, report_unused=True) if f[0] == "GTL901"] == [("GTL901", "warning", 3)]


def test_a_hash_comment_in_terraform_suppresses(tmp_path: Path) -> None:
    shutil.copytree(MODULE, tmp_path / "module")
    main = tmp_path / "module" / "main.tf"
    line = line_of(tmp_path / "module", "GTL001")
    with_comment(main, main, line, "# gtlint: ignore[GTL001] labeling data is public")
    assert [finding for finding in rule_levels(tmp_path / "module") if finding[0] == "GTL001"] == []


def test_cloudformation_metadata_suppresses_the_resource_requests_only(tmp_path: Path) -> None:
    template = TEMPLATE.read_text(encoding="utf-8")
    metadata = ("    Metadata:\n      gtlint:\n        ignore:\n          - id: GTL001\n"
                "            reason: volume holds only public images\n")
    suppressed = template.replace("    Type: AWS::StepFunctions::StateMachine\n",
                                  "    Type: AWS::StepFunctions::StateMachine\n" + metadata, 1)
    assert suppressed != template
    (tmp_path / "t.yaml").write_text(suppressed, encoding="utf-8")
    before = {finding[0] for finding in rule_levels(TEMPLATE)}
    after = {finding[0] for finding in rule_levels(tmp_path / "t.yaml")}
    assert "GTL001" in before
    assert after == before - {"GTL001"}


def test_cloudformation_metadata_without_a_reason_is_reported(tmp_path: Path) -> None:
    template = TEMPLATE.read_text(encoding="utf-8").replace(
        "    Type: AWS::StepFunctions::StateMachine\n",
        "    Type: AWS::StepFunctions::StateMachine\n    Metadata:\n      gtlint:\n        ignore: [GTL001]\n", 1)
    (tmp_path / "t.yaml").write_text(template, encoding="utf-8")
    findings = rule_levels(tmp_path / "t.yaml")
    assert [f[:2] for f in findings if f[0] in ("GTL001", "GTL900")] == [("GTL900", "warning")]


def test_a_slash_comment_in_terraform_suppresses_the_next_line(tmp_path: Path) -> None:
    shutil.copytree(MODULE, tmp_path / "module")
    main = tmp_path / "module" / "main.tf"
    line = line_of(tmp_path / "module", "GTL001")
    with_comment(main, main, line, "// gtlint: ignore[GTL001] labeling data is public", above=True)
    assert [finding for finding in rule_levels(tmp_path / "module") if finding[0] == "GTL001"] == []


def test_each_rule_of_a_suppression_that_matched_nothing_is_reported(tmp_path: Path) -> None:
    line = line_of(TEMPLATE, "GTL001")
    path = with_comment(TEMPLATE, tmp_path / "t.yaml", line, "# gtlint: ignore[GTL001, GTL005] scratch volume")
    (unused,) = [f for f in scan([str(path)], report_unused_ignores=True).findings if f.rule_id == "GTL901"]
    assert unused.message.startswith("the suppression of GTL005 matches no finding")
