"""Configuration: `.gtlint.yaml`, or `[tool.gtlint]` in `pyproject.toml`, found upwards from the scanned path.

    rules: {GTL002: off, GTL006: error}   # a rule off, or its error/warning findings at another level
    strict: true                          # notes as warnings
    exclude: ["examples/**"]
    fail-on: error
    iam-snapshot: iam.json                # relative to the configuration file
    report-unused-ignores: true
    max-file-size: 50MiB                  # larger files are errors (default 20 MiB)

Command-line options win over the file. Unknown keys and bad values are errors.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from gtlint import catalogue
from gtlint.document import FileReader, LoadError, load_yaml, parse_size
from gtlint.findings import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAMES = (".gtlint.yaml", ".gtlint.yml")
KEYS = ("rules", "strict", "exclude", "fail-on", "iam-snapshot", "report-unused-ignores", "max-file-size")
RULE_SETTINGS = ("off", *catalogue.LEVELS)


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> "off" or a level
    strict: bool | None = None
    exclude: tuple[str, ...] = ()
    fail_on: str | None = None
    iam_snapshot: str | None = None
    report_unused_ignores: bool | None = None
    max_file_size: int | None = None
    source: str = ""  # the file it was read from

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """Rules turned off are dropped; a level override changes a rule's errors and warnings, not its notes."""
        kept = []
        for finding in findings:
            setting = self.rules.get(finding.rule_id)
            if setting == "off":
                continue
            if setting and finding.level != "note":
                finding = replace(finding, level=setting)
            kept.append(finding)
        return kept


def find_config(start: str) -> str | None:
    """The nearest `.gtlint.yaml` or `pyproject.toml` with a `[tool.gtlint]` table, from `start` upwards."""
    directory = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        for name in YAML_NAMES:
            if os.path.isfile(os.path.join(directory, name)):
                return os.path.join(directory, name)
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config(path: str) -> Config:
    """Raises ConfigError, naming the file and the key, when the configuration is not valid."""
    table = _table(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    unknown = sorted(set(map(str, table)) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(KEYS)})")
    snapshot = table.get("iam-snapshot")
    return Config(
        rules=_rules(path, table.get("rules", {})),
        strict=_boolean(path, table, "strict"),
        exclude=_strings(path, table.get("exclude", [])),
        fail_on=_choice(path, "fail-on", table.get("fail-on"), catalogue.LEVELS),
        iam_snapshot=os.path.join(os.path.dirname(path), _string(path, "iam-snapshot", snapshot)) if snapshot else None,
        report_unused_ignores=_boolean(path, table, "report-unused-ignores"),
        max_file_size=_size(path, table.get("max-file-size")),
        source=path,
    )


def _read(path: str) -> str:
    directory = os.path.dirname(os.path.abspath(path))
    try:
        return FileReader(directory).reader_for(directory)(os.path.basename(path))
    except LoadError as error:
        raise ConfigError(f"{path}: {error}") from None


def _table(path: str) -> Any:
    text = _read(path)
    if path.endswith(".toml"):
        try:
            return tomllib.loads(text).get("tool", {}).get("gtlint", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from None
    try:
        document = load_yaml(text)
    except LoadError as error:
        raise ConfigError(f"{path}: {error}") from None
    return {} if document is None else document


def _has_tool_table(path: str) -> bool:
    """A pyproject.toml with [tool.gtlint]; a broken one that mentions it counts, so that its error is shown."""
    try:
        text = _read(path)
    except ConfigError:
        return False
    try:
        return isinstance(tomllib.loads(text).get("tool", {}).get("gtlint"), dict)
    except tomllib.TOMLDecodeError:
        return "tool.gtlint" in text


def _rules(path: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: rules must map rule ids to one of {', '.join(RULE_SETTINGS)}")
    rules = {}
    for rule_id, setting in value.items():
        if catalogue.find(str(rule_id)) is None:
            known = ", ".join(rule.id for rule in catalogue.RULES)
            raise ConfigError(f"{path}: rules: {rule_id} is not a gtlint rule (known: {known})")
        shown = "off" if setting is False else setting  # YAML reads a bare `off` as false
        rules[str(rule_id).upper()] = _choice(path, f"rules.{rule_id}", shown, RULE_SETTINGS) or "off"
    return rules


def _choice(path: str, key: str, value: Any, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in choices:
        raise ConfigError(f"{path}: {key} is {value!r}; expected one of {', '.join(choices)}")
    return str(value)


def _boolean(path: str, table: dict, key: str) -> bool | None:
    value = table.get(key)
    if value is not None and not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} is {value!r}; expected true or false")
    return value


def _string(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {key} is {value!r}; expected a path")
    return value


def _size(path: str, value: Any) -> int | None:
    if value is None:
        return None
    try:
        return parse_size(value if isinstance(value, str) else str(value) if type(value) is int else "")
    except ValueError as error:
        raise ConfigError(f"{path}: max-file-size: {error}") from None


def _strings(path: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: exclude must be a list of glob patterns")
    return tuple(value)
