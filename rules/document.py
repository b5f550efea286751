"""Safe loading of YAML and JSON documents, keeping where each key and value is.

Mappings load as `Located` dicts that remember the line and column of each key and value, and
lists as `LocatedList`s. CloudFormation short-form tags (`!Ref`, `!Sub`, ...) load as their long
form. Nothing is executed; unknown tags, over-deep nesting and oversized
or binary input are reported as a `LoadError`.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable, Hashable
from typing import Any

import yaml

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200
MAX_VALUES = 1_000_000  # values of a document once its YAML aliases are expanded

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


def decode(data: bytes, limit: int = MAX_BYTES) -> str:
    """The text of a file, or a LoadError for what a text linter cannot read.

    UTF-8 (with or without a byte-order mark) and UTF-16/UTF-32 with a byte-order mark are text;
    a NUL byte in the first 8 KiB otherwise means binary.
    """
    if len(data) > limit:
        raise _too_large(limit)
    encoding, start = text_encoding(data)
    if start and encoding != "utf-8":
        try:
            return data[start:].decode(encoding)
        except UnicodeDecodeError as error:
            raise LoadError(f"not valid {encoding.upper()} text (byte {error.start + start})") from None
    if b"\0" in data[:8192]:
        raise LoadError("binary file (or UTF-16 text without a byte-order mark); gtlint reads text files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise LoadError(f"not UTF-8 text (line {line}: byte 0x{byte:02x}); save the file as UTF-8") from None


def text_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a file's byte-order mark names (UTF-8 without one), and the mark's length."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding, len(mark)
    return "utf-8", 0


# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"),
)


def size_text(size: int) -> str:
    """A byte count as people write it: 20 MiB, 512 KiB, 100 bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def parse_size(text: str) -> int:
    """`--max-file-size` values: bytes, or with a unit (KB, MB, GB in powers of 1000; KiB, MiB, GiB of 1024)."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]i?B?|B)?\s*", text, re.IGNORECASE)
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a size such as 20MiB, 5MB or 100000")
    unit = (match.group(2) or "B").upper().rstrip("B")
    factor = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "KI": 1 << 10, "MI": 1 << 20, "GI": 1 << 30}[unit]
    return int(match.group(1)) * factor


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` + 1 of them (so that decode can tell it is too long).

    Never blocks: a FIFO or a device is refused before it is read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise LoadError(_os_reason(error)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise LoadError("a folder, not a file" if stat.S_ISDIR(status.st_mode) else "not a regular file")
        if status.st_size > limit:
            raise _too_large(limit)
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(descriptor, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise LoadError(_os_reason(error)) from None
    finally:
        os.close(descriptor)


def _too_large(limit: int) -> LoadError:
    return LoadError(f"file is larger than the size limit ({size_text(limit)}); raise it with --max-file-size")


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower() if error.errno != errno.ELOOP else "symlink loop"


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
        while loader.check_node():
            node = loader.get_node()
            if "&" in text:  # only anchors make aliases, and aliases can make a small file a huge tree
                _refuse_alias_bombs(node)
            documents.append(loader.construct_document(node))
            if first_only:
                break
    except LoadError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise LoadError(f"{where}{error.problem or error}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow; its position is an offset
        line = text.count("\n", 0, error.position) + 1
        character = error.character if isinstance(error.character, str) else chr(error.character)
        raise LoadError(f"line {line}: character U+{ord(character):04X} is not allowed in YAML") from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        raise LoadError(f"invalid YAML: {' '.join(str(error).split())}") from None  # one line, for every report
    finally:
        loader.dispose()
    return documents


def _refuse_alias_bombs(root: yaml.Node) -> None:
    """A LoadError if aliases expand the document past MAX_VALUES values (a "billion laughs")."""
    sizes: dict[int, int] = {}

    def expanded(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_DEPTH:
            raise LoadError(f"nested more than {MAX_DEPTH} levels deep")
        sizes[id(node)] = 1  # a node that contains itself counts once
        if isinstance(node, yaml.MappingNode):
            size = 1 + sum(expanded(key, depth + 1) + expanded(value, depth + 1) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(expanded(item, depth + 1) for item in node.value)
        else:
            size = 1
        sizes[id(node)] = size
        return size

    if expanded(root, 0) > MAX_VALUES:
        raise LoadError(f"YAML aliases expand this document to more than {MAX_VALUES} values (an alias bomb?)")


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

    def __init__(self, root: str, limit: int = MAX_BYTES) -> None:
        self.root = os.path.realpath(root)
        self.limit = limit

    def reader_for(self, directory: str) -> Callable[[str], str]:
        return lambda relative: self.read(directory, relative)

    def read(self, directory: str, relative: str) -> str:
        if "\0" in relative:
            raise LoadError(f"{relative!r} is not a file name (it holds a NUL character)")
        if os.path.isabs(relative):
            raise LoadError(f"{relative} is an absolute path")
        target = os.path.realpath(os.path.join(directory, relative))
        if os.path.commonpath([self.root, target]) != self.root:
            raise LoadError(f"{relative} is outside the scanned root")
        if not os.path.exists(target):
            raise LoadError(f"{relative} does not exist")
        try:
            return decode(read_bytes(target, self.limit), self.limit)
        except LoadError as error:
            raise LoadError(f"{relative}: {error}") from None
