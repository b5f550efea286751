"""Output formats: text for people, JSON, SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from gtlint import __version__, catalogue
from gtlint.findings import Finding
from gtlint.scan import FileError, ScanResult

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = catalogue.HELP_BASE


def printable(text: str) -> str:
    """Text from scanned files, with control characters shown as escapes, never sent to a terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                        else f"\\u{ord(match.group()):04x}", text)


def finding_record(finding: Finding) -> dict:
    location = finding.location
    return {
        "rule_id": finding.rule_id,
        "level": finding.level,
        "message": finding.message,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "subject": finding.subject,
        "help_uri": finding.rule.help_uri,
    }


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
    paint = _painter(color)
    lines: list[str] = []
    current = None
    for finding in result.findings:
        if finding.location.file != current:
            current = finding.location.file
            lines.append(paint("bold", printable(current)))
        where = f"{finding.location.line}:{finding.location.column}"
        lines.append(f"  {where:>8}  {paint(finding.level, f'{finding.level:<7}')}  {finding.rule_id}  "
                     f"{printable(finding.message)}  [{printable(finding.subject)}]")
    for error in result.errors:
        lines.append(f"{printable(error.file)}: {paint('error', 'cannot read')}: {printable(error.message)}")
    counts = summary(result)
    lines.append(
        f"{counts['files']} files, {counts['requests']} labeling-job requests: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['note']} notes, {counts['file_errors']} unreadable files"
    )
    return "\n".join(lines) + "\n"


_COLORS = {"error": "31", "warning": "33", "note": "36", "bold": "1"}


def _painter(color: bool):
    def paint(style: str, text: str) -> str:
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color else text

    return paint


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
            "properties": {"checkov_id": rule.checkov_id, "cfn_lint_id": rule.cfn_lint_id,
                           "tags": ["security", "encryption", "sagemaker"]},
        }
        for rule in catalogue.RULES
    ]


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


def _sarif_result(finding: Finding, rule_index: int) -> dict:
    location = finding.location
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": location.file},
                "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)},
            },
            "logicalLocations": [{"fullyQualifiedName": finding.subject}],
        }],
    }


def _sarif_invocation(errors: Iterable[FileError]) -> dict:
    notifications = [
        {"level": "error", "message": {"text": f"{error.file}: {error.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": error.file}}}]}
        for error in errors
    ]
    return {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}


FORMATTERS = {"json": to_json, "sarif": to_sarif, "github": to_github}
