"""flake8 plugin: gtlint's findings on boto3 `create_labeling_job` calls, inline in editors that run flake8.

Codes are the rule ids (`GTL001 ...`), so `# noqa: GTL001` and `extend-ignore` work as for any
plugin. Notes (values only known at run time) are shown with `--gtlint-notes`, as cfn-lint shows
its informational results only when asked. GTLINT_IAM_SNAPSHOT is read as in the other hosts.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from gtlint import __version__
from gtlint.checks import run_checks
from gtlint.document import LoadError
from gtlint.snapshot import SnapshotError, snapshot_from_environment
from gtlint.sources.python_sdk import CALL, requests_in_python

Result = tuple[int, int, str, type]


class Plugin:
    name = "gtlint"
    version = __version__
    notes = False

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option("--gtlint-notes", action="store_true", default=False, parse_from_config=True,
                                  help="also report gtlint notes: values that cannot be decided statically")

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.notes = bool(options.gtlint_notes)

    def run(self) -> Iterator[Result]:
        if not any(CALL in line for line in self.lines):
            return
        try:
            snapshot = snapshot_from_environment()
            requests = requests_in_python("".join(self.lines), self.filename, trees=[self.tree])
        except (LoadError, SnapshotError) as error:  # one clear message on the file, never a traceback
            yield 1, 0, f"GTL000 gtlint could not check this file: {error}", type(self)
            return
        for request in requests:
            for finding in run_checks(request, snapshot=snapshot):
                if finding.level == "note" and not self.notes:
                    continue
                prefix = "note: " if finding.level == "note" else ""
                yield (finding.location.line, max(finding.location.column - 1, 0),
                       f"{finding.rule_id} {prefix}{finding.message}", type(self))
