"""Finding files, reading them safely, and running the checks on every request they hold."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from gtlint.checks import Finding, run_checks
from gtlint.document import MAX_BYTES, FileReader, LoadError, decode, load_json, load_yaml_documents, read_bytes
from gtlint.environment import IamContext
from gtlint.findings import first_line, internal_error
from gtlint.request import LabelingJobRequest
from gtlint.sources import aws_cli, cloudformation, javascript, notebook, python_sdk, terraform
from gtlint.sources.extract import ReadFile, module_requests, requests_in_document
from gtlint.suppressions import Suppression, Suppressions, metadata_suppressions

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


@dataclass(frozen=True)
class Settings:
    """What every unit of a scan is read with; picklable, for `--jobs`."""

    snapshot: IamContext | None = None
    limit: int = MAX_BYTES  # --max-file-size


@dataclass(frozen=True)
class Unit:
    """One piece of work: a file, or a Terraform module (a folder's .tf files)."""

    path: str
    root: str  # the scanned root: files a unit names are read only below it
    module_files: tuple[str, ...] | None = None

    @property
    def files(self) -> int:
        return 1 if self.module_files is None else len(self.module_files)


@dataclass
class UnitResult:
    """What reading and checking a unit gave, before suppressions (which need every unit) are applied."""

    files: int
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    requests: int = 0
    comment_texts: dict[str, str] = field(default_factory=dict)  # file -> text holding its suppression comments
    metadata: list[Suppression] = field(default_factory=list)


def scan(paths: Iterable[str], excludes: Iterable[str] = (), snapshot: IamContext | None = None,
         report_unused_ignores: bool = False, progress: Progress | None = None,
         limit: int = MAX_BYTES, jobs: int = 1) -> ScanResult:
    """Scan files and folders; `snapshot` is the account's deployed IAM (`--iam-snapshot`), if given.

    `jobs` > 1 reads and checks the files in that many processes; the result is the same.
    """
    result = ScanResult()
    units = _units(paths, tuple(excludes), result.errors)
    total = sum(unit.files for unit in units)
    suppressions = Suppressions(lambda path: _text_or_none(path, limit))
    done = 0
    for unit_result in _results(units, Settings(snapshot, limit), jobs):
        _merge(result, unit_result, suppressions)
        done += unit_result.files
        if progress is not None:
            progress(done, total)
    result.findings.extend(suppressions.findings(report_unused_ignores))
    result.findings.sort(key=_finding_order)
    result.errors.sort(key=lambda error: (error.file, error.message))
    return result


def _units(paths: Iterable[str], excludes: tuple[str, ...], errors: list[FileError]) -> list[Unit]:
    units: list[Unit] = []
    seen: set[str] = set()  # a folder named twice, or two files of one module, is read once
    for root in paths:
        if not os.path.lexists(root):
            errors.append(FileError(root, "no such file or directory"))
            continue
        base = root if os.path.isdir(root) else os.path.dirname(root) or "."
        documents, modules = _collect(root, excludes, errors)
        units += [Unit(path, base) for path in documents if path not in seen]
        units += [Unit(directory, base, tuple(files)) for directory, files in modules.items() if directory not in seen]
        seen.update(unit.path for unit in units)
    return units


def _results(units: list[Unit], settings: Settings, jobs: int) -> Iterator[UnitResult]:
    """Each unit's result, in the order of `units`, from this process or from `jobs` of them."""
    if jobs <= 1 or len(units) < 2:
        yield from (read_unit(unit, settings) for unit in units)
        return
    from concurrent.futures import ProcessPoolExecutor  # only parallel scans pay for it

    chunk = max(1, len(units) // (jobs * 8))  # small enough to balance, large enough to amortise pickling
    with ProcessPoolExecutor(max_workers=jobs) as executor:
        yield from executor.map(read_unit, units, [settings] * len(units), chunksize=chunk)


def read_unit(unit: Unit, settings: Settings) -> UnitResult:
    """Read and check one unit. A bug in gtlint is this unit's error, never the end of the scan."""
    try:
        if unit.module_files is None:
            return _read_document(unit, settings)
        return _read_module(unit, settings)
    except Exception as error:  # the last resort: every other file is still scanned
        return UnitResult(unit.files, errors=[FileError(unit.path, internal_error(error))])


def _read_document(unit: Unit, settings: Settings) -> UnitResult:
    result = UnitResult(1)
    try:
        text = _read_if_it_mentions(unit.path, MENTIONS, settings.limit)
        if text is None:
            return result
        reader = FileReader(unit.root, settings.limit)
        found = file_requests(unit.path, text, reader.reader_for(os.path.dirname(unit.path)))
    except LoadError as error:
        result.errors.append(FileError(unit.path, str(error)))
        return result
    result.comment_texts[unit.path] = found.comment_text
    if found.template is not None:
        result.metadata = metadata_suppressions(found.template, unit.path)
    _check(result, found.requests, unit.path, settings.snapshot)
    return result


def _read_module(unit: Unit, settings: Settings) -> UnitResult:
    result = UnitResult(unit.files)
    texts: dict[str, str] = {}
    for path in unit.module_files or ():
        try:
            texts[path] = _read(path, settings.limit)
        except LoadError as error:
            result.errors.append(FileError(path, str(error)))
    result.comment_texts.update(texts)
    if not any(TERRAFORM_MENTIONS.search(text) for text in texts.values()):
        return result  # nothing in this module can be or hold a labeling job: not worth parsing
    module = parse_module(unit.path, FileReader(unit.root, settings.limit), texts, result.errors)
    _check(result, module_requests(module), unit.path, settings.snapshot)
    return result


def _check(result: UnitResult, requests: list[LabelingJobRequest], origin: str, snapshot: IamContext | None) -> None:
    result.requests += len(requests)
    for request in requests:
        result.findings += [replace(finding, origin=origin) for finding in run_checks(request, snapshot=snapshot)]


def _merge(result: ScanResult, unit_result: UnitResult, suppressions: Suppressions) -> None:
    """Add a unit's result, applying the suppressions seen so far (in unit order, whatever the jobs)."""
    result.files += unit_result.files
    result.requests += unit_result.requests
    result.errors += unit_result.errors
    for path, text in unit_result.comment_texts.items():
        suppressions.add_file(path, text)
    suppressions.add_metadata(unit_result.metadata)
    kept = suppressions.filter(unit_result.findings)
    result.suppressed += len(unit_result.findings) - len(kept)
    result.findings += kept


def _text_or_none(path: str, limit: int) -> str | None:
    try:
        return _read(path, limit)
    except LoadError:
        return None


def _finding_order(finding: Finding) -> tuple:
    location = finding.location
    return (location.file, location.line, location.column, finding.rule_id, finding.message)


def _collect(root: str, excludes: tuple[str, ...],
             errors: list[FileError]) -> tuple[list[str], dict[str, list[str]]]:
    documents: list[str] = []
    modules: dict[str, list[str]] = {}
    named_file = not os.path.isdir(root)
    for path in _walk(root, excludes, errors):
        if path.endswith(TERRAFORM_SUFFIX) and named_file:
            # A module is its whole folder: a variable's default may be in another file than the resource.
            folder = os.path.dirname(path) or "."
            modules[_display(folder)] = [candidate for candidate in _walk(folder, excludes, errors, recurse=False)
                                         if candidate.endswith(TERRAFORM_SUFFIX)]
        elif path.endswith(TERRAFORM_SUFFIX):
            modules.setdefault(os.path.dirname(path), []).append(path)
        else:
            documents.append(path)
    return sorted(documents), dict(sorted(modules.items()))


def _walk(root: str, excludes: tuple[str, ...], errors: list[FileError], recurse: bool = True) -> Iterator[str]:
    """The files to read below `root` (or `root`, a file named on the command line, even a symlink).

    Symlinks found in folders are not followed: one to a file inside the root is read where it
    points; one that dangles, loops or leaves the root is an error, since what it names is not read.
    Folders that are symlinks are not entered, as in `git` and `ripgrep`.
    """
    if not os.path.isdir(root):
        if not _excluded(root, excludes):  # excludes apply to files named on the command line too
            yield _display(root)
        return
    real_root = os.path.realpath(root)
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            name for name in subdirectories
            if recurse and name not in SKIPPED_DIRECTORIES and not _is_virtualenv(os.path.join(directory, name))
            and not _excluded(os.path.join(directory, name), excludes)
        )
        for name in sorted(files):
            path = os.path.join(directory, name)
            if not name.endswith((*SOURCE_SUFFIXES, TERRAFORM_SUFFIX)) or _excluded(path, excludes):
                continue
            if not os.path.islink(path):
                yield _display(path)
            elif (problem := _symlink_problem(path, real_root)) is not None:
                errors.append(FileError(_display(path), problem))


def _symlink_problem(path: str, real_root: str) -> str | None:
    """Why a symlink found in a scanned folder is not read; None if its target is read in its own place."""
    target = os.readlink(path)
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"symlink loop (-> {target}); not read"
        return f"dangling symlink (-> {target}); not read"
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        return f"symlink to {target}, outside the scanned folder; not read (scan its target's folder instead)"
    return None


def _display(path: str) -> str:
    return Path(os.path.normpath(path)).as_posix()


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _excluded(path: str, excludes: tuple[str, ...]) -> bool:
    posix = _display(path)
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(os.path.basename(posix), pattern)
               for pattern in excludes)


# Only a file whose bytes could name a labeling job is decoded and parsed (most files of a repository
# cannot): every form names it ("createLabelingJob", "LabelingJobName", "create-labeling-job",
# "kind: LabelingJob", ...), but for a SAM template reading its definition from a DefinitionUri file.
# UTF-16 text shows up with NULs between the letters.
MENTIONS = re.compile(rb"labeling|definitionuri|l\0a\0b\0e\0l\0i\0n\0g", re.IGNORECASE)
# A Terraform module is parsed if one of its files may hold a job, or a state machine (whose
# definition may come from file() or templatefile()).
TERRAFORM_MENTIONS = re.compile(r"labeling|aws_sfn_state_machine", re.IGNORECASE)


def _read(path: str, limit: int = MAX_BYTES) -> str:
    return decode(read_bytes(path, limit), limit)


def _read_if_it_mentions(path: str, mentions: re.Pattern[bytes], limit: int = MAX_BYTES) -> str | None:
    """The text of the file at `path`, or None when its bytes do not match `mentions`."""
    data = read_bytes(path, limit)
    return decode(data, limit) if mentions.search(data) else None


@dataclass(frozen=True)
class FileRequests:
    requests: list[LabelingJobRequest]
    comment_text: str  # where comment suppressions are read: a notebook's cells at their file lines
    template: object | None = None  # a CloudFormation template, whose resources' Metadata may suppress


def read_requests(path: str, reader: FileReader | None = None) -> list[LabelingJobRequest]:
    """The requests of one file (not a Terraform module), as `gtlint scan` reads them."""
    directory = os.path.dirname(path) or "."
    text = _read_if_it_mentions(path, MENTIONS)
    if text is None:
        return []
    return file_requests(path, text, (reader or FileReader(directory)).reader_for(directory)).requests


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


def terraform_module(directory: str, reader: FileReader) -> terraform.Module:
    """The module in `directory` (all its .tf files), for the hosts; a file that cannot be read is a LoadError."""
    paths = sorted(_display(os.path.join(directory, name)) for name in os.listdir(directory)
                   if name.endswith(TERRAFORM_SUFFIX))
    errors: list[FileError] = []
    texts = {}
    for path in paths:
        try:
            texts[path] = _read(path, reader.limit)
        except LoadError as error:
            raise LoadError(f"{path}: {error}") from None
    module = parse_module(directory, reader, texts, errors)
    if errors:
        raise LoadError(f"{errors[0].file}: {errors[0].message}")
    return module


def parse_module(directory: str, reader: FileReader, texts: dict[str, str],
                 errors: list[FileError]) -> terraform.Module:
    """The module of these .tf files' texts; a file that is not valid HCL goes to `errors`."""
    import hcl2  # lazily: only Terraform needs it, and it is slow to import

    files: dict[str, tuple[dict, list[str]]] = {}
    for path, text in texts.items():
        try:
            with _at_most(HCL_SECONDS):
                files[path] = (hcl2.loads(text), text.splitlines())
        except _TookTooLong:
            errors.append(FileError(path, f"invalid HCL: the parser gave up after {HCL_SECONDS} s "
                                    "(an unterminated string?)"))
        except Exception as error:  # lark raises many kinds; all mean the same to the user
            errors.append(FileError(path, f"invalid HCL: {first_line(error)}"))
    return terraform.Module(files, reader.reader_for(directory), directory=directory)


# hcl2's string pattern nests quantifiers: an unterminated string takes exponential time in lark's lexer.
HCL_SECONDS = 5


class _TookTooLong(BaseException):  # not an Exception: nothing in the parser may swallow it
    pass


@contextmanager
def _at_most(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; only the main thread can, elsewhere there is no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signal: int, _frame: object) -> None:
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
