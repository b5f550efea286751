"""Finding files, reading them safely, and running the checks on every request they hold."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from gtlint.checks import Finding, run_checks
from gtlint.document import MAX_BYTES, FileReader, LoadError, decode, load_json, load_yaml_documents
from gtlint.environment import IamContext
from gtlint.request import LabelingJobRequest
from gtlint.sources import aws_cli, cloudformation, javascript, notebook, python_sdk, terraform
from gtlint.sources.extract import ReadFile, module_requests, requests_in_document
from gtlint.suppressions import Suppressions, metadata_suppressions

SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "venv", ".tox", "__pycache__", ".mypy_cache"}
)
DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml", ".template")
TERRAFORM_SUFFIX = ".tf"
PYTHON_SUFFIX = ".py"
NOTEBOOK_SUFFIX = ".ipynb"
SCRIPT_SUFFIXES = (".sh", ".bash")
SOURCE_SUFFIXES = (*DOCUMENT_SUFFIXES, PYTHON_SUFFIX, NOTEBOOK_SUFFIX, *SCRIPT_SUFFIXES, *javascript.SUFFIXES)


@dataclass(frozen=True)
class FileError:
    file: str
    message: str


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    requests: int = 0
    suppressed: int = 0  # findings a gtlint suppression covered


Progress = Callable[[int, int], None]  # (files done, files in all)


def scan(paths: Iterable[str], excludes: Iterable[str] = (), snapshot: IamContext | None = None,
         report_unused_ignores: bool = False, progress: Progress | None = None) -> ScanResult:
    """Scan files and folders; `snapshot` is the account's deployed IAM (`--iam-snapshot`), if given."""
    run = _Scan(snapshot)
    patterns = tuple(excludes)
    work = []
    for root in paths:
        if not os.path.exists(root):
            run.result.errors.append(FileError(root, "no such file or directory"))
            continue
        reader = FileReader(root if os.path.isdir(root) else os.path.dirname(root) or ".")
        documents, modules = _collect(root, patterns)
        seen = {path for _, path, _ in work}  # a folder named twice, or two files of one module, is read once
        work += [(reader, path, None) for path in documents if path not in seen]
        work += [(reader, directory, files) for directory, files in modules.items() if directory not in seen]
    total = sum(1 if files is None else len(files) for _, _, files in work)
    for reader, path, files in work:
        if files is None:
            run.document(path, reader)
        else:
            run.module(path, files, reader)
        if progress is not None:
            progress(run.result.files, total)
    result = run.result
    result.findings.extend(run.suppressions.findings(report_unused_ignores))
    result.findings.sort(key=_finding_order)
    result.errors.sort(key=lambda error: error.file)
    return result


class _Scan:
    """One scan: its result, the account snapshot and the suppressions seen so far."""

    def __init__(self, snapshot: IamContext | None) -> None:
        self.result = ScanResult()
        self.snapshot = snapshot
        self.suppressions = Suppressions(_text_or_none)

    def document(self, path: str, reader: FileReader) -> None:
        self.result.files += 1
        try:
            found = file_requests(path, _read(path), reader.reader_for(os.path.dirname(path)))
        except LoadError as error:
            self.result.errors.append(FileError(path, str(error)))
            return
        self.suppressions.add_file(path, found.comment_text)
        if found.template is not None:
            self.suppressions.add_metadata(metadata_suppressions(found.template, path))
        self.check(found.requests, path)

    def module(self, directory: str, paths: list[str], reader: FileReader) -> None:
        self.result.files += len(paths)
        module = terraform_module(directory, reader, paths, self.result.errors)
        for path, (_, lines) in module.files.items():
            self.suppressions.add_file(path, "\n".join(lines))
        self.check(module_requests(module), directory)

    def check(self, requests: list[LabelingJobRequest], origin: str) -> None:
        self.result.requests += len(requests)
        for request in requests:
            findings = [replace(finding, origin=origin) for finding in run_checks(request, snapshot=self.snapshot)]
            kept = self.suppressions.filter(findings)
            self.result.suppressed += len(findings) - len(kept)
            self.result.findings.extend(kept)


def _text_or_none(path: str) -> str | None:
    try:
        return _read(path)
    except LoadError:
        return None


def _finding_order(finding: Finding) -> tuple:
    location = finding.location
    return (location.file, location.line, location.column, finding.rule_id, finding.message)


def _collect(root: str, excludes: tuple[str, ...]) -> tuple[list[str], dict[str, list[str]]]:
    documents: list[str] = []
    modules: dict[str, list[str]] = {}
    for path in _walk(root, excludes):
        if path.endswith(TERRAFORM_SUFFIX) and os.path.isfile(root):
            # A module is its whole folder: a variable's default may be in another file than the resource.
            folder = os.path.dirname(path) or "."
            modules[_display(folder)] = [candidate for candidate in _walk(folder, excludes, recurse=False)
                                         if candidate.endswith(TERRAFORM_SUFFIX)]
        elif path.endswith(TERRAFORM_SUFFIX):
            modules.setdefault(os.path.dirname(path), []).append(path)
        elif path.endswith(SOURCE_SUFFIXES):
            documents.append(path)
    return sorted(documents), dict(sorted(modules.items()))


def _walk(root: str, excludes: tuple[str, ...], recurse: bool = True) -> Iterator[str]:
    if os.path.isfile(root):
        if not _excluded(root, excludes):  # excludes apply to files named on the command line too
            yield _display(root)
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            name for name in subdirectories
            if recurse and name not in SKIPPED_DIRECTORIES and not _is_virtualenv(os.path.join(directory, name))
            and not _excluded(os.path.join(directory, name), excludes)
        )
        for name in sorted(files):
            path = os.path.join(directory, name)
            if not os.path.islink(path) and not _excluded(path, excludes):
                yield _display(path)


def _display(path: str) -> str:
    return Path(os.path.normpath(path)).as_posix()


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _excluded(path: str, excludes: tuple[str, ...]) -> bool:
    posix = _display(path)
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(os.path.basename(posix), pattern)
               for pattern in excludes)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return decode(handle.read(MAX_BYTES + 1))  # bounded: decode rejects anything longer
    except OSError as error:
        raise LoadError(error.strerror or str(error)) from None


@dataclass(frozen=True)
class FileRequests:
    requests: list[LabelingJobRequest]
    comment_text: str  # where comment suppressions are read: a notebook's cells at their file lines
    template: object | None = None  # a CloudFormation template, whose resources' Metadata may suppress


def read_requests(path: str, reader: FileReader | None = None) -> list[LabelingJobRequest]:
    """The requests of one file (not a Terraform module), as `gtlint scan` reads them."""
    directory = os.path.dirname(path) or "."
    return file_requests(path, _read(path), (reader or FileReader(directory)).reader_for(directory)).requests


def file_requests(path: str, text: str, read_file: ReadFile) -> FileRequests:
    """The requests of one file, whatever its form."""
    if path.endswith(PYTHON_SUFFIX):
        return FileRequests(python_sdk.requests_in_python(text, path), text)
    if path.endswith(SCRIPT_SUFFIXES):
        return FileRequests(aws_cli.requests_in_script(text, path, read_file), text)
    if path.endswith(javascript.SUFFIXES):
        return FileRequests(javascript.requests_in_javascript(text, path), text)
    if path.endswith(NOTEBOOK_SUFFIX):
        if python_sdk.CALL not in text:  # notebooks are large (outputs): parse only those that may call it
            return FileRequests([], text)
        document = load_json(text)
        comment_text = notebook.suppression_text(document, text) if notebook.is_notebook(document) else text
        return FileRequests(requests_in_document(document, path, read_file), comment_text)
    documents = [load_json(text)] if path.endswith(".json") else load_yaml_documents(text)
    requests = [request for document in documents for request in requests_in_document(document, path, read_file)]
    template = documents[0] if documents and cloudformation.is_template(documents[0]) else None
    return FileRequests(requests, text, template)


def terraform_module(directory: str, reader: FileReader, paths: list[str] | None = None,
                     errors: list[FileError] | None = None) -> terraform.Module:
    """The module in `directory` (all its .tf files unless `paths` names them); unreadable files go to `errors`."""
    import hcl2  # lazily: only Terraform needs it, and it is slow to import

    if paths is None:
        paths = sorted(_display(os.path.join(directory, name)) for name in os.listdir(directory)
                       if name.endswith(TERRAFORM_SUFFIX))
    files: dict[str, tuple[dict, list[str]]] = {}
    for path in paths:
        try:
            text = _read(path)
            files[path] = (hcl2.loads(text), text.splitlines())
        except LoadError as error:
            _note_error(errors, FileError(path, str(error)))
        except Exception as error:
            _note_error(errors, FileError(path, f"invalid HCL: {_first_line(error)}"))
    return terraform.Module(files, reader.reader_for(directory), directory=directory)


def _note_error(errors: list[FileError] | None, error: FileError) -> None:
    if errors is None:
        raise LoadError(f"{error.file}: {error.message}")
    errors.append(error)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
