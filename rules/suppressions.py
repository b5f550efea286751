"""gtlint's own suppressions: `# gtlint: ignore[GTL001] reason` comments and CloudFormation Metadata.

A comment (`//` too in HCL) at the end of a line suppresses findings on that line; a comment alone on its line
suppresses findings on the next line. A CloudFormation resource's
`Metadata: {gtlint: {ignore: [{id: GTL001, reason: ...}]}}` suppresses that rule's findings for
the requests the resource holds. A suppression without a reason is reported (GTL900); with
`report_unused`, so is each rule of one that matched no finding of it (GTL901).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gtlint import catalogue
from gtlint.document import key_mark
from gtlint.findings import Finding
from gtlint.request import Location

_COMMENT = re.compile(r"#\s*gtlint:\s*ignore\[([^\]]*)\]\s*(.*)")
_HCL_COMMENT = re.compile(r"(?:#|//)\s*gtlint:\s*ignore\[([^\]]*)\]\s*(.*)")  # HCL also has // comments
ReadText = Callable[[str], str | None]  # a file's text, or None when it cannot be read


@dataclass
class Suppression:
    rule_ids: frozenset[str]
    reason: str
    location: Location  # where it is written
    line: int = 0  # the line it covers; 0 for a resource's Metadata
    subject: str = ""  # the logical id whose requests it covers (Metadata)
    used: set[str] = field(default_factory=set, compare=False)  # the rule ids it covered a finding of

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id not in self.rule_ids:
            return False
        if self.subject:  # a resource of this template (the finding may be in its DefinitionUri file)
            same_template = finding.origin == self.location.file
            return same_template and (finding.subject == self.subject or finding.subject.startswith(f"{self.subject}."))
        return finding.location.file == self.location.file and finding.location.line == self.line


def comment_suppressions(path: str, text: str) -> list[Suppression]:
    found = []
    pattern = _HCL_COMMENT if path.endswith(".tf") else _COMMENT
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.search(line)
        if match is None:
            continue
        alone = line.lstrip().startswith(("#", "//"))
        rule_ids = frozenset(part.strip().upper() for part in match.group(1).split(",") if part.strip())
        location = Location(path, number, match.start() + 1)
        found.append(Suppression(rule_ids, match.group(2).strip(), location, number + 1 if alone else number))
    return found


def metadata_suppressions(template: Any, path: str) -> list[Suppression]:
    """`Metadata.gtlint.ignore` entries of a CloudFormation template's resources."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    found = []
    for logical_id, resource in (resources or {}).items() if isinstance(resources, dict) else ():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        gtlint = metadata.get("gtlint") if isinstance(metadata, dict) else None
        entries = gtlint.get("ignore") if isinstance(gtlint, dict) else None
        mark = key_mark(resources, logical_id)
        location = Location(path, mark[0] if mark else 0, mark[1] if mark else 0, ("Resources", str(logical_id)))
        for entry in entries if isinstance(entries, list) else []:
            rule_id = entry.get("id") if isinstance(entry, dict) else entry
            reason = entry.get("reason", "") if isinstance(entry, dict) else ""
            found.append(Suppression(frozenset({str(rule_id).upper()}), str(reason or "").strip(), location,
                                     subject=str(logical_id)))
    return found


@dataclass
class Suppressions:
    """Every suppression seen so far; comments of a file are read when a finding first points into it."""

    read_text: ReadText
    by_file: dict[str, list[Suppression]] = field(default_factory=dict)
    metadata: list[Suppression] = field(default_factory=list)

    def add_file(self, path: str, text: str) -> None:
        self.by_file.setdefault(path, comment_suppressions(path, text))

    def add_metadata(self, suppressions: Iterable[Suppression]) -> None:
        self.metadata.extend(suppressions)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings no suppression covers; the ones that cover a finding are marked used."""
        kept = []
        for finding in findings:
            covering = [s for s in (*self._in_file(finding.location.file), *self.metadata) if s.covers(finding)]
            for suppression in covering:
                suppression.used.add(finding.rule_id)
            if not covering:
                kept.append(finding)
        return kept

    def _in_file(self, path: str) -> list[Suppression]:
        if path not in self.by_file:
            text = self.read_text(path)
            self.by_file[path] = comment_suppressions(path, text) if text is not None else []
        return self.by_file[path]

    def findings(self, report_unused: bool) -> list[Finding]:
        """GTL900 for suppressions without a reason, GTL901 (with `report_unused`) for unused ones."""
        found = []
        for suppression in (*[s for group in self.by_file.values() for s in group], *self.metadata):
            ids = ", ".join(sorted(suppression.rule_ids)) or "no rule"
            if not suppression.reason:
                found.append(_finding("GTL900", suppression, f"the suppression of {ids} gives no reason. "
                                      "Say why after it, e.g. `# gtlint: ignore[GTL002] bucket encrypted by SCP`."))
            unused = sorted(suppression.rule_ids - suppression.used)
            if report_unused and unused:
                found.append(_finding("GTL901", suppression, f"the suppression of {', '.join(unused)} matches no "
                                      "finding. Remove it, or move it to the finding's line."))
        return found


def _finding(rule_id: str, suppression: Suppression, message: str) -> Finding:
    return Finding(rule_id, catalogue.get(rule_id).level, message, suppression.location,
                   suppression.subject or "suppression")
