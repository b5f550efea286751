"""Output formats: text for people, JSON, SARIF 2.1.0, JUnit XML and GitHub workflow commands."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Protocol
from urllib.parse import quote

from gtlint import __version__, catalogue
from gtlint.document import MAX_BYTES, LoadError, read_bytes, text_encoding
from gtlint.findings import Finding
from gtlint.scan import FileError, ScanResult

# C0 and C1 controls (not tab or newline), bidirectional overrides and isolates, lone surrogates
# (JSON can hold them; no encoder can write them) and the two non-characters XML forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = catalogue.HELP_BASE
SOURCE_WIDTH = 120  # characters of a source line shown under a finding; longer lines show a window


def printable(text: str) -> str:
    """Text from scanned files, with control characters shown as escapes, never sent to a terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                        else f"\\u{ord(match.group()):04x}", text)


def finding_record(finding: Finding) -> dict:
    location = finding.location
    record = {
        "rule_id": finding.rule_id,
        "level": finding.level,
        "message": finding.message,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "subject": finding.subject,
        "help_uri": finding.rule.help_uri,
    }
    if location.cell:
        record.update(cell=location.cell, cell_line=location.cell_line)
    return record


def summary(result: ScanResult) -> dict:
    counts = {level: 0 for level in reversed(catalogue.LEVELS)}
    for finding in result.findings:
        counts[finding.level] += 1
    return {"files": result.files, "requests": result.requests, **counts, "file_errors": len(result.errors)}


def to_json(result: ScanResult) -> str:
    document = {
        "tool": {"name": "gtlint", "version": __version__},
        "findings": [finding_record(finding) for finding in result.findings],
        "errors": [{"file": error.file, "message": error.message} for error in result.errors],
        "summary": summary(result),
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def to_text(result: ScanResult, color: bool = False) -> str:
    """Findings grouped by file: each with its source line, and each rule's fix once per file."""
    paint = _painter(color)
    lines: list[str] = []
    for file, findings in _by_file(result.findings).items():
        lines.append(paint("bold", printable(file)))
        sources = source_lines(file, max(finding.location.line for finding in findings))
        fixed: set[str] = set()
        for finding in findings:
            location = finding.location
            where = f"{location.line}:{location.column}"
            if location.cell:
                where = f"cell {location.cell}:{location.cell_line}"
            lines.append(f"  {where:>8}  {paint(finding.level, f'{finding.level:<7}')}  {finding.rule_id}  "
                         f"{printable(finding.message)}  [{printable(finding.subject)}]")
            if 1 <= location.line <= len(sources):
                excerpt = source_excerpt(sources[location.line - 1], location.column)
                if excerpt:
                    lines.append(f"{_INDENT}{paint('dim', f'| {excerpt}')}")
            rule = catalogue.find(finding.rule_id)
            if rule is not None and rule.id not in fixed:
                fixed.add(rule.id)
                lines.append(f"{_INDENT}{paint('fix', 'fix:')} {printable(rule.fix)}")
    for error in result.errors:
        lines.append(f"{printable(error.file)}: {paint('error', 'cannot read')}: {printable(error.message)}")
    counts = summary(result)
    lines.append(
        f"{counts['files']} files, {counts['requests']} labeling-job requests: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['note']} notes, {counts['file_errors']} unreadable files"
    )
    return "\n".join(lines) + "\n"


_INDENT = " " * 12  # under the level column of a finding line
_COLORS = {"error": "31", "warning": "33", "note": "36", "bold": "1", "dim": "2", "fix": "32"}


def _painter(color: bool) -> Callable[[str, str], str]:
    def paint(style: str, text: str) -> str:
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color else text

    return paint


def _by_file(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings per file, files in the order they first appear (scan sorts them), findings in order."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.location.file, []).append(finding)
    return groups


def source_lines(path: str, last: int) -> list[str]:
    """Lines 1..`last` of a scanned file (fewer if it is shorter), without line ends; [] if it cannot be read.

    Reads no more than the scanner's size limit, and only regular files (never blocks on a FIFO or
    a device). Undecodable bytes are replaced: this is for display only.
    """
    if last < 1:
        return []
    try:
        data = read_bytes(path, MAX_BYTES)
    except LoadError:
        return []
    encoding, start = text_encoding(data)
    lines = data[start:].decode(encoding, errors="replace").split("\n", last)
    if len(lines) <= last and lines[-1] == "":  # what follows the last line end is not a line
        lines.pop()
    return [line.rstrip("\r") for line in lines[:last]]


def source_excerpt(line: str, column: int = 0, width: int = SOURCE_WIDTH) -> str:
    """A source line for a terminal: stripped, escaped, and at most `width` characters around `column`."""
    stripped = line.strip()
    if len(stripped) > width:
        lead = len(line) - len(line.lstrip())
        start = min(max(column - 1 - lead - width // 3, 0), len(stripped) - width)
        stripped = ("..." if start else "") + stripped[start:start + width] + (
            "..." if start + width < len(stripped) else "")
    return printable(stripped)


class Terminal(Protocol):
    def isatty(self) -> bool: ...

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


def progress_printer(stream: Terminal) -> Callable[[int, int], None] | None:
    """A `progress(done, total)` that keeps one `gtlint: 120/3000 files` line updated on a terminal.

    None unless `stream` is a terminal, so redirected output and CI logs never get it. The line is
    cleared when `done == total`.
    """
    try:
        if not stream.isatty():
            return None
    except (AttributeError, OSError, ValueError):  # no isatty, or a closed stream
        return None
    shown = 0  # width of the line now on the terminal

    def progress(done: int, total: int) -> None:
        nonlocal shown
        if done >= total:
            if shown:
                stream.write("\r" + " " * shown + "\r")
                stream.flush()
                shown = 0
            return
        text = f"gtlint: {done}/{total} files"
        stream.write("\r" + text.ljust(shown))
        stream.flush()
        shown = max(shown, len(text))

    return progress


def to_github(result: ScanResult) -> str:
    command = {"error": "error", "warning": "warning", "note": "notice"}
    lines = []
    for finding in result.findings:
        location = finding.location
        position = f"line={max(location.line, 1)},col={max(location.column, 1)}"
        properties = f"file={_escape_property(location.file)},{position}"
        title = _escape_property(f"{finding.rule_id} {finding.rule.title}")
        lines.append(f"::{command[finding.level]} {properties},title={title}::{_escape_data(finding.message)}")
    for error in result.errors:
        lines.append(f"::error file={_escape_property(error.file)},title=gtlint::{_escape_data(error.message)}")
    return "".join(f"{printable(line)}\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sarif_rules() -> list[dict]:
    return [
        {
            "id": rule.id,
            "name": "".join(word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", rule.title)),
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.rationale},
            "help": {"text": rule.fix, "markdown": f"{rule.rationale}\n\n**Fix:** {rule.fix}"},
            "helpUri": rule.help_uri,
            "defaultConfiguration": {"level": rule.level},
            "properties": _sarif_properties(rule),
        }
        for rule in catalogue.RULES
    ]


def _sarif_properties(rule: catalogue.Rule) -> dict:
    if not rule.about_requests:  # about gtlint's own suppressions: no host ids
        return {"tags": ["gtlint", "suppression"]}
    return {"checkov_id": rule.checkov_id, "cfn_lint_id": rule.cfn_lint_id,
            "tags": ["security", "encryption", "sagemaker"]}


def to_sarif(result: ScanResult) -> str:
    index = {rule.id: position for position, rule in enumerate(catalogue.RULES)}
    run = {
        "tool": {"driver": {"name": "gtlint", "version": __version__, "informationUri": INFORMATION_URI,
                            "rules": sarif_rules()}},
        "results": [_sarif_result(finding, index[finding.rule_id]) for finding in result.findings],
        "invocations": [_sarif_invocation(result.errors)],
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def artifact_uri(path: str) -> str:
    """A scanned file's SARIF `uri`: relative with forward slashes, percent-encoded.

    An absolute path below the working directory becomes relative to it (as code scanning expects);
    one elsewhere becomes a `file:` URI, since a relative reference would name another file.
    """
    pure = PurePath(path)
    if pure.is_absolute():
        try:
            relative = PurePath(os.path.relpath(path))
        except ValueError:  # another drive
            relative = None
        if relative is None or relative.parts[:1] == ("..",):
            return Path(path).as_uri()
        pure = relative
    # ":" is escaped too, so that a first segment like "c:" never reads as a scheme.
    return quote(pure.as_posix(), safe="/!$&'()*+,;=@")


def _sarif_result(finding: Finding, rule_index: int) -> dict:
    location = finding.location
    physical: dict = {"artifactLocation": {"uri": artifact_uri(location.file)}}
    if location.line >= 1:  # 0: the source has no position, and SARIF lines start at 1
        physical["region"] = {"startLine": location.line}
        if location.column >= 1:
            physical["region"]["startColumn"] = location.column
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": finding.subject}],
        }],
    }
    if location.cell:  # the region is the notebook file's line; the cell is what Jupyter shows
        result["properties"] = {"cell": location.cell, "cellLine": location.cell_line}
    return result


def _sarif_invocation(errors: Iterable[FileError]) -> dict:
    notifications = [
        {"level": "error", "message": {"text": f"{error.file}: {error.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(error.file)}}}]}
        for error in errors
    ]
    return {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}


def to_junit(result: ScanResult) -> str:
    """JUnit XML: a test case per finding (failed for errors and warnings, skipped for notes), and an
    erroring one per unreadable file. ASCII only (other characters as references), so any stream takes it."""
    failures = sum(finding.level in ("error", "warning") for finding in result.findings)
    skipped = sum(finding.level == "note" for finding in result.findings)
    counts = {"tests": str(len(result.findings) + len(result.errors)), "failures": str(failures),
              "errors": str(len(result.errors)), "skipped": str(skipped)}
    suites = ET.Element("testsuites", {"name": "gtlint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "gtlint", **counts})
    for finding in result.findings:
        location = finding.location
        case = ET.SubElement(suite, "testcase", {
            "classname": _xml(location.file),
            "name": _xml(f"{finding.rule_id} {finding.subject} line {location.line}"),
            "file": _xml(location.file),
        })
        if finding.level == "note":
            ET.SubElement(case, "skipped", {"message": _xml(finding.message)})
        else:
            failure = ET.SubElement(case, "failure", {"message": _xml(finding.message), "type": finding.level})
            rule = finding.rule
            failure.text = _xml(
                f"{location.file}:{location.line}:{location.column}: {finding.message}\n"
                f"{rule.id} {rule.title}\nfix: {rule.fix}\nhelp: {rule.help_uri}"
            )
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", {"classname": _xml(error.file), "name": "unreadable file",
                                                 "file": _xml(error.file)})
        element = ET.SubElement(case, "error", {"message": _xml(error.message), "type": "unreadable"})
        element.text = _xml(f"{error.file}: {error.message}")
    ET.indent(suites)
    body = ET.tostring(suites, encoding="us-ascii").decode("ascii")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _xml(text: str) -> str:
    """Text XML 1.0 can hold: control characters, lone surrogates and U+FFFE/U+FFFF become escapes."""
    return printable(text)


FORMATTERS: dict[str, Callable[[ScanResult], str]] = {
    "json": to_json, "sarif": to_sarif, "github": to_github, "junit": to_junit,
}
