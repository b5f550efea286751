"""Safe loading of YAML and JSON documents, keeping where each key and value is.

Mappings load as `Located` dicts that remember the line and column of each key and value, and
lists as `LocatedList`s. CloudFormation short-form tags (`!Ref`, `!Sub`, ...) load as their long
form. Nothing is executed; unknown tags, over-deep nesting and oversized
or binary input are reported as a `LoadError`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable
from typing import Any

import yaml

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Mark = tuple[int, int, str]  # 1-based line, 1-based column, scalar style ("" for plain or a collection)


class LoadError(Exception):
    """A document that cannot be read; the message says why, for the user."""


class Located(dict):
    """A dict that knows where its keys and values are."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self) -> None:
        super().__init__()
        self.mark: Mark = (0, 0, "")
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}


class LocatedList(list):
    __slots__ = ("item_marks", "mark")

    def __init__(self) -> None:
        super().__init__()
        self.mark: Mark = (0, 0, "")
        self.item_marks: list[Mark] = []


def _mark(node: yaml.Node) -> Mark:
    style = getattr(node, "style", None) or ""
    return (node.start_mark.line + 1, node.start_mark.column + 1, style if isinstance(style, str) else "")


CFN_FUNCTIONS = frozenset(
    {
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "If", "ImportValue", "Join", "Length",
        "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform", "GetAtt",
    }
)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    depth = 0


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    _enter(loader)
    loader.flatten_mapping(node)
    result = Located()
    result.mark = _mark(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise LoadError(f"line {key_node.start_mark.line + 1}: a mapping key must be a scalar")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_marks[key] = _mark(key_node)
        result.value_marks[key] = _mark(value_node)
    loader.depth -= 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    _enter(loader)
    result = LocatedList()
    result.mark = _mark(node)
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_marks.append(_mark(item))
    loader.depth -= 1
    return result


def _enter(loader: _Loader) -> None:
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise LoadError(f"nested more than {MAX_DEPTH} levels deep")


def _construct_cfn_tag(loader: _Loader, tag_suffix: str, node: yaml.Node) -> Located:
    """`!Sub x` becomes {"Fn::Sub": x}; `!Ref x` {"Ref": x}; `!GetAtt a.b` {"Fn::GetAtt": [a, b]}."""
    if tag_suffix in ("Ref", "Condition"):
        key = tag_suffix
    elif tag_suffix in CFN_FUNCTIONS:
        key = f"Fn::{tag_suffix}"
    else:
        raise LoadError(f"line {node.start_mark.line + 1}: unknown tag !{tag_suffix}")
    if isinstance(node, yaml.MappingNode):
        value: Any = _construct_mapping(loader, node)
    elif isinstance(node, yaml.SequenceNode):
        value = _construct_sequence(loader, node)
    else:
        value = loader.construct_scalar(node)
        if key == "Fn::GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    result = Located()
    result.mark = _mark(node)
    result[key] = value
    result.key_marks[key] = result.mark
    result.value_marks[key] = _mark(node)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_multi_constructor("!", _construct_cfn_tag)


def decode(data: bytes) -> str:
    """The text of a file, or a LoadError for what a text linter cannot read."""
    if len(data) > MAX_BYTES:
        raise LoadError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if b"\0" in data[:8192]:
        raise LoadError("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(f"not UTF-8 text (byte {error.start})") from None


def load_yaml(text: str) -> Any:
    """All of a YAML document (the first, if a stream holds several), with positions."""
    documents = _load_yaml(text, first_only=True)
    return documents[0] if documents else None


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of a YAML stream (Kubernetes manifests hold several), with positions."""
    return _load_yaml(text, first_only=False)


def _load_yaml(text: str, first_only: bool) -> list[Any]:
    loader = _Loader(text)
    documents = []
    try:
        while loader.check_data():
            documents.append(loader.get_data())
            if first_only:
                break
    except LoadError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise LoadError(f"{where}{error.problem or error}") from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        raise LoadError(f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    return documents


def load_json(text: str) -> Any:
    """A JSON document with positions (read by the YAML loader); without them if YAML cannot read it."""
    try:
        return load_yaml(text)
    except LoadError:
        pass
    try:
        return json.loads(text)
    except RecursionError:
        raise LoadError(f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:
        raise LoadError(f"invalid JSON: {error}") from None


def key_mark(container: Any, key: Any) -> Mark | None:
    """Where `key` is in `container`: our own marks, or cfn-lint's node marks."""
    marks = getattr(container, "key_marks", None)
    if marks is not None:
        return marks.get(key)
    if isinstance(container, dict):
        for candidate in container:
            if candidate == key and hasattr(candidate, "start_mark"):
                return (candidate.start_mark.line + 1, candidate.start_mark.column + 1, "")
    return None


def value_mark(container: Any, key: Any) -> Mark | None:
    marks = getattr(container, "value_marks", None)
    if marks is not None:
        return marks.get(key)
    if isinstance(container, list) and isinstance(key, int):
        item_marks = getattr(container, "item_marks", None)
        if item_marks is not None and key < len(item_marks):
            return item_marks[key]
    value = container[key] if isinstance(container, (dict, list)) else None
    start = getattr(value, "start_mark", None)
    return (start.line + 1, start.column + 1, "") if start is not None else key_mark(container, key)


class FileReader:
    """Reads files that a scanned file names (DefinitionUri, templatefile), only below the scan root."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)

    def reader_for(self, directory: str) -> Callable[[str], str]:
        return lambda relative: self.read(directory, relative)

    def read(self, directory: str, relative: str) -> str:
        if os.path.isabs(relative):
            raise LoadError(f"{relative} is an absolute path")
        target = os.path.realpath(os.path.join(directory, relative))
        if os.path.commonpath([self.root, target]) != self.root:
            raise LoadError(f"{relative} is outside the scanned root")
        if not os.path.isfile(target):
            raise LoadError(f"{relative} does not exist")
        with open(target, "rb") as handle:
            return decode(handle.read(MAX_BYTES + 1))
