"""The `gtlint` command. It never imports Checkov."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from gtlint import __version__, catalogue
from gtlint.config import Config, ConfigError, find_config, load_config
from gtlint.document import MAX_BYTES, LoadError, parse_size, size_text
from gtlint.report import FORMATTERS, printable, progress_printer, to_text
from gtlint.scan import Progress, ScanResult, scan
from gtlint.snapshot import ENVIRONMENT_VARIABLE as SNAPSHOT_VARIABLE
from gtlint.snapshot import load_snapshot

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not getattr(arguments, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_TROUBLE
    return arguments.run(arguments)


class _Parser(argparse.ArgumentParser):
    """Usage errors quote the command line, whose file names may hold control characters."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_TROUBLE, f"{self.prog}: error: {printable(message)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gtlint", description="Checks SageMaker Ground Truth labeling jobs "
                                     "for customer managed KMS encryption.")
    parser.add_argument("--version", action="version", version=f"gtlint {__version__}")
    commands = parser.add_subparsers(dest="command")

    scan_parser = commands.add_parser("scan", help="scan files and folders")
    scan_parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    scan_parser.add_argument("--format", choices=["text", *FORMATTERS], default="text")
    scan_parser.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    scan_parser.add_argument("--fail-on", choices=list(reversed(catalogue.LEVELS)), default=None,
                             help="the lowest level that fails the scan (default: warning)")
    scan_parser.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                             help="report notes as warnings")
    scan_parser.add_argument("--config", metavar="FILE",
                             help="settings file (default: the nearest .gtlint.yaml, or pyproject.toml [tool.gtlint])")
    scan_parser.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    scan_parser.add_argument("--report-unused-ignores", action=argparse.BooleanOptionalAction, default=None,
                             help="report gtlint suppressions that match no finding (GTL901)")
    scan_parser.add_argument("--iam-snapshot", metavar="FILE",
                             help="output of `aws iam get-account-authorization-details`, for roles defined elsewhere")
    scan_parser.add_argument("--max-file-size", type=_size, default=None, metavar="SIZE",
                             help=f"larger files are errors, not read (default: {size_text(MAX_BYTES)}; e.g. 50MiB)")
    scan_parser.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                             help="read files in N processes (0: one per CPU; default: 1); the report is the same")
    scan_parser.set_defaults(run=_scan)

    rules_parser = commands.add_parser("rules", help="list the rules")
    rules_parser.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    rules_parser.set_defaults(run=_rules)

    explain_parser = commands.add_parser("explain", help="explain a rule")
    explain_parser.add_argument("rule_id", metavar="ID")
    explain_parser.set_defaults(run=_explain)

    path_parser = commands.add_parser("plugin-path", help="where an installed host adapter lives")
    path_parser.add_argument("host", choices=["checkov", "cfn-lint"])
    path_parser.set_defaults(run=_plugin_path)
    return parser


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes")
    return int(text) or os.cpu_count() or 1


def _scan(arguments: argparse.Namespace) -> int:
    try:
        config = _configuration(arguments)
        snapshot_path = arguments.iam_snapshot or config.iam_snapshot or os.environ.get(SNAPSHOT_VARIABLE)
        snapshot = load_snapshot(snapshot_path) if snapshot_path else None
    except ConfigError as error:
        print(f"gtlint: {printable(str(error))}", file=sys.stderr)
        return EXIT_TROUBLE
    except LoadError as error:
        print(f"gtlint: --iam-snapshot {printable(snapshot_path)}: {printable(str(error))}", file=sys.stderr)
        return EXIT_TROUBLE
    report_unused = (arguments.report_unused_ignores if arguments.report_unused_ignores is not None
                     else bool(config.report_unused_ignores))
    progress = _after_a_second(progress_printer(sys.stderr))
    result = scan(arguments.paths, [*config.exclude, *arguments.exclude], snapshot, report_unused, progress,
                  limit=arguments.max_file_size or config.max_file_size or MAX_BYTES, jobs=arguments.jobs)
    result.findings = config.apply(result.findings)
    if arguments.strict if arguments.strict is not None else config.strict:
        result.findings = [replace(finding, level="warning") if finding.level == "note" else finding
                           for finding in result.findings]
    if arguments.format == "text":
        report = to_text(result, color=arguments.output is None and sys.stdout.isatty()
                         and "NO_COLOR" not in os.environ)
    else:
        report = FORMATTERS[arguments.format](result)
    try:
        _write(report, arguments.output)
    except OSError as error:
        print(f"gtlint: --output {printable(arguments.output)}: {error.strerror or error}", file=sys.stderr)
        return EXIT_TROUBLE
    return _exit_code(result, arguments.fail_on or config.fail_on or "warning")


def _after_a_second(progress: Progress | None) -> Progress | None:
    """Only long scans show progress: nothing in the first second."""
    if progress is None:
        return None
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        if done >= total or time.monotonic() - start >= 1.0:
            progress(done, total)

    return report


def _configuration(arguments: argparse.Namespace) -> Config:
    """The --config file, or the nearest one above the first scanned path; none gives the defaults."""
    path = arguments.config or find_config(arguments.paths[0] if arguments.paths else ".")
    return load_config(path) if path else Config()


def _exit_code(result: ScanResult, fail_on: str) -> int:
    if result.errors:
        return EXIT_TROUBLE
    threshold = catalogue.LEVELS.index(fail_on)
    failing = any(catalogue.LEVELS.index(finding.level) >= threshold for finding in result.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _write(report: str, output: str | None) -> None:
    """stdout, or `output`: a regular file is replaced atomically (a reader never sees half a report),
    with the permissions a new file gets; anything else (a device, a pipe) is written to as it is."""
    if output is None:
        sys.stdout.write(report)
        return
    target = Path(output).resolve()  # through a symlink to the file it names
    if target.exists() and not target.is_file():
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(report)
        return
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".gtlint-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(report)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def rule_record(rule: catalogue.Rule) -> dict:
    return {
        "id": rule.id, "title": rule.title, "level": rule.level, "checkov_id": rule.checkov_id,
        "cfn_lint_id": rule.cfn_lint_id, "cfn_lint_note_id": rule.cfn_lint_note_id, "help_uri": rule.help_uri,
        "forms": list(rule.forms), "rationale": rule.rationale, "fix": rule.fix,
    }


def rules_markdown() -> str:
    """The README's rule table, then one section per rule."""
    lines = ["| id | title | level | Checkov | cfn-lint |", "|---|---|---|---|---|"]
    lines += [f"| [{rule.id}](#{rule.anchor}) | {rule.title} | {rule.level} | {_code(rule.checkov_id)} | "
              f"{_code(rule.cfn_lint_id)} |" for rule in catalogue.RULES]
    return "\n".join(lines) + "\n\n" + "\n".join(rule_section(rule) for rule in catalogue.RULES)


def _code(host_id: str) -> str:
    return f"`{host_id}`" if host_id else "–"


_LANGUAGES = {"terraform": ("Terraform", "hcl"), "cloudformation": ("CloudFormation", "yaml"),
              "boto3": ("boto3", "python")}


def rule_section(rule: catalogue.Rule) -> str:
    if rule.about_requests:
        hosts = (f"Checkov `{rule.checkov_id}` · cfn-lint `{rule.cfn_lint_id}` (undecidable values: "
                 f"`{rule.cfn_lint_note_id}`) · forms: {', '.join(rule.forms)}")
    else:
        hosts = "`gtlint scan` only (the hosts have their own suppressions)"
    examples = "".join(_example(example) for example in rule.examples) or (
        f"Fails:\n```yaml\n{rule.example_fail}```\nPasses:\n```yaml\n{rule.example_pass}```\n")
    fixtures = f"Fixtures: `fixtures/*/{rule.id}-*`.\n" if rule.about_requests else ""
    return (f"### {rule.id} {rule.title}\n\nLevel **{rule.level}** · {hosts}\n\n"
            f"**Why.** {rule.rationale}\n\n**Fix.** {rule.fix}\n\n{examples}{fixtures}")


def _example(example: catalogue.Example) -> str:
    name, fence = _LANGUAGES[example.language]
    return (f"{name}, fails:\n```{fence}\n{example.fails}```\n{name}, passes:\n```{fence}\n{example.passes}```\n")


def _rules(arguments: argparse.Namespace) -> int:
    if arguments.format == "json":
        sys.stdout.write(json.dumps({"rules": [rule_record(rule) for rule in catalogue.RULES]}, indent=2) + "\n")
    elif arguments.format == "markdown":
        sys.stdout.write(rules_markdown())
    else:
        for rule in catalogue.RULES:
            sys.stdout.write(f"{rule.id}  {rule.level:<7}  {rule.checkov_id}  {rule.cfn_lint_id}  {rule.title}\n")
    return EXIT_CLEAN


def explanation(rule: catalogue.Rule) -> str:
    hosts = (f"Checkov: {rule.checkov_id}   cfn-lint: {rule.cfn_lint_id} (notes: {rule.cfn_lint_note_id})"
             if rule.about_requests else "gtlint scan only")
    examples = [(_LANGUAGES[example.language][0] + " ", example.fails, example.passes) for example in rule.examples]
    examples = examples or [("", rule.example_fail, rule.example_pass)]
    shown = "".join(f"{name}fails\n{_indent(fails)}\n{name}passes\n{_indent(passes)}\n"
                    for name, fails, passes in examples)
    return (f"{rule.id}: {rule.title}\n\nLevel: {rule.level}   {hosts}\n\nWhy\n  {rule.rationale}\n\n"
            f"Fix\n  {rule.fix}\n\n{shown}More: {rule.help_uri}\n")


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines())


def _explain(arguments: argparse.Namespace) -> int:
    rule = catalogue.find_by_any_id(arguments.rule_id)
    if rule is None:
        known = ", ".join(rule.id for rule in catalogue.RULES)
        sys.stderr.write(f"gtlint: no rule {printable(arguments.rule_id)}; the rules are {known}\n")
        return EXIT_TROUBLE
    sys.stdout.write(explanation(rule))
    return EXIT_CLEAN


def _plugin_path(arguments: argparse.Namespace) -> int:
    sys.stdout.write(f"{plugin_path(arguments.host)}\n")
    return EXIT_CLEAN


def plugin_path(host: str) -> str:
    """Where the installed adapters for `host` (checkov or cfn-lint) are."""
    import gtlint.plugins  # the installed adapters, wherever pip put them

    plugins = Path(gtlint.plugins.__file__).resolve().parent
    return str(plugins / ("checkov" if host == "checkov" else "cfn_lint"))


if __name__ == "__main__":
    sys.exit(main())
