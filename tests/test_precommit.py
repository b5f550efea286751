"""The hooks in .pre-commit-hooks.yaml, run by pre-commit for real.

A copy of this working tree, committed to a fresh git repository, is the hook repository (`repo: file://...`
at its HEAD); each test makes a project repository holding some fixtures and runs one hook on it. Everything
pre-commit, pip and virtualenv write goes under pytest's temporary folder. The first run installs gtlint,
Checkov and cfn-lint into the hooks' environment (one for all three hooks): that takes minutes, hence the
generous timeouts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"
TIMEOUT = 900  # seconds; installing Checkov into the hook environment dominates
HOOKS = ("gtlint", "gtlint-checkov", "gtlint-cfn-lint")
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", ".tox", "__pycache__", "*.egg-info", ".pytest_cache",
                                    ".ruff_cache", ".mypy_cache", ".hypothesis", "build", "dist")

CFN_FAIL = "fixtures/cloudformation/GTL001-definition-sync.fail.yaml"
CFN_PASS = "fixtures/cloudformation/GTL003-inline-policy-grants.pass.yaml"
TF_FAIL = "fixtures/terraform/GTL001-resource-no-resource-config.fail/main.tf"
TF_PASS = "fixtures/terraform/GTL003-inline-policy.pass/main.tf"
TF_SPLIT_MODULE = "fixtures/terraform/GTL002-resource-var-aws-managed-default.fail"  # main.tf + variables.tf

GTLINT_FINDING = re.compile(r"^\s+\d+:\d+\s+(?P<level>error|warning|note)\s+(?P<rule>GTL\d{3})\s")
CFN_LINT_MATCH = re.compile(r"^(?P<rule>[EWI]\d{4}) .*\n(?P<file>\S+):\d+:\d+$", re.MULTILINE)
CHECKOV_FAILED = re.compile(r"^Check: (?P<check>CKV_\w+):.*\n\s+FAILED for resource: (?P<resource>\S+)$",
                            re.MULTILINE)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for git and pre-commit: every cache in the temporary folder, no user or system git config."""
    assert PRE_COMMIT.exists(), f"{PRE_COMMIT} is missing: pip install -e '.[test]'"
    base = tmp_path_factory.mktemp("pre-commit-env")
    git_config = base / "gitconfig"
    git_config.write_text("[user]\n\tname = gtlint tests\n\temail = tests@gtlint.invalid\n"
                          "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n")
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("GIT_", "PRE_COMMIT", "VIRTUALENV_"))}
    return {**inherited, "PRE_COMMIT_HOME": str(base / "pre-commit"), "PIP_CACHE_DIR": str(base / "pip"),
            "VIRTUALENV_OVERRIDE_APP_DATA": str(base / "virtualenv"), "GIT_CONFIG_GLOBAL": str(git_config),
            "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> tuple[str, str]:
    """(URL, commit) of a committed copy of this working tree, .pre-commit-hooks.yaml included."""
    copy = tmp_path_factory.mktemp("hook-repo") / "gtlint"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    _git(copy, environment, "init", "-q")
    _git(copy, environment, "add", "-A")
    _git(copy, environment, "commit", "-q", "-m", "hooks under test")
    return copy.as_uri(), _git(copy, environment, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, hook_repo: tuple[str, str],
              environment: dict[str, str]) -> None:
    """Installs the hook environment once, so the tests below time only their own runs."""
    project = _project(tmp_path_factory.mktemp("install"), hook_repo, environment, [])
    completed = _pre_commit(project, environment, "install-hooks")
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-5000:]


def test_gtlint_hook_fails_on_findings(tmp_path: Path, hook_repo: tuple[str, str], environment: dict[str, str],
                                       installed: None) -> None:
    project = _project(tmp_path, hook_repo, environment, [CFN_FAIL, TF_FAIL, CFN_PASS])
    completed = _run_hook(project, environment, "gtlint")
    assert completed.returncode == 1, completed.stdout
    assert "- hook id: gtlint\n- exit code: 1\n" in completed.stdout  # 1: findings; 2 would be unreadable files
    assert _gtlint_failures(completed.stdout) == {(CFN_FAIL, "error", "GTL001"), (TF_FAIL, "error", "GTL001")}
    # The hook's report is gtlint's own on the same files, .pre-commit-config.yaml included (it matches `files`),
    # in one batch (require_serial).
    files = sorted([CFN_FAIL, TF_FAIL, CFN_PASS, ".pre-commit-config.yaml"])
    direct = subprocess.run([str(BIN / "gtlint"), "scan", *files], cwd=project, capture_output=True, text=True,
                            timeout=TIMEOUT, env=environment, check=False)
    assert direct.returncode == 1, direct.stderr
    assert direct.stdout in completed.stdout
    assert "\n4 files, 3 labeling-job requests: 2 errors, 0 warnings, " in completed.stdout


def test_gtlint_hook_passes_clean_files(tmp_path: Path, hook_repo: tuple[str, str], environment: dict[str, str],
                                        installed: None) -> None:
    project = _project(tmp_path, hook_repo, environment, [TF_PASS, CFN_PASS])
    completed = _run_hook(project, environment, "gtlint")
    assert completed.returncode == 0, completed.stdout
    assert re.search(r"^gtlint\.+Passed$", completed.stdout, re.MULTILINE), completed.stdout


def test_gtlint_hook_sees_a_module_split_over_files(tmp_path: Path, hook_repo: tuple[str, str],
                                                    environment: dict[str, str], installed: None) -> None:
    module = [f"{TF_SPLIT_MODULE}/main.tf", f"{TF_SPLIT_MODULE}/variables.tf"]
    project = _project(tmp_path, hook_repo, environment, module)
    completed = _run_hook(project, environment, "gtlint")
    assert completed.returncode == 1, completed.stdout
    assert _gtlint_failures(completed.stdout) == {(module[0], "warning", "GTL002")}


def test_cfn_lint_hook_reports_e9101(tmp_path: Path, hook_repo: tuple[str, str], environment: dict[str, str],
                                     installed: None) -> None:
    # cfn-lint takes every file it is given for a template: `files:` keeps .pre-commit-config.yaml out (README).
    project = _project(tmp_path, hook_repo, environment, [CFN_FAIL, CFN_PASS, TF_FAIL],
                       {"gtlint-cfn-lint": "files: ^fixtures/.*\\.(json|ya?ml|template)$"})
    completed = _run_hook(project, environment, "gtlint-cfn-lint")
    assert completed.returncode == 1, completed.stdout
    assert "- hook id: gtlint-cfn-lint\n- exit code: 2\n" in completed.stdout  # cfn-lint: 2 = errors
    matches = {(match["rule"], match["file"]) for match in CFN_LINT_MATCH.finditer(completed.stdout)}
    assert matches == {("E9101", CFN_FAIL)}, completed.stdout


def test_checkov_hook_reports_ckv_gtl_001_per_folder(tmp_path: Path, hook_repo: tuple[str, str],
                                                     environment: dict[str, str], installed: None) -> None:
    project = _project(tmp_path, hook_repo, environment, [TF_FAIL, TF_PASS, CFN_FAIL])
    completed = _run_hook(project, environment, "gtlint-checkov")
    assert completed.returncode == 1, completed.stdout
    assert "- hook id: gtlint-checkov\n- exit code: 1\n" in completed.stdout
    reports = _checkov_reports(completed.stdout)
    # One Checkov run per folder, each with its own results (a single run with several -d mixes them up); the
    # top folder is not scanned: .pre-commit-config.yaml there is no CloudFormation template.
    assert reports == {
        str(Path(TF_FAIL).parent): {("CKV_GTL_001", "aws_sagemaker_labeling_job.vehicles")},
        str(Path(TF_PASS).parent): set(),
        str(Path(CFN_FAIL).parent): {("CKV_GTL_001", "AWS::StepFunctions::StateMachine.LabelingStateMachine")},
    }, completed.stdout


def _project(directory: Path, hook_repo: tuple[str, str], environment: dict[str, str], fixtures: Iterable[str],
             settings: dict[str, str] | None = None) -> Path:
    """A git repository holding `fixtures` (paths relative to the repository root) and a config for the hooks,
    with a hook's `settings` (one YAML line) added to its entry."""
    url, rev = hook_repo
    for name in fixtures:
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, directory / name)
    settings = settings or {}
    hooks = "".join(f"      - id: {hook}\n" + (f"        {settings[hook]}\n" if hook in settings else "")
                    for hook in HOOKS)
    (directory / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {url}\n    rev: {rev}\n    hooks:\n{hooks}")
    _git(directory, environment, "init", "-q")
    _git(directory, environment, "add", "-A")
    return directory


def _run_hook(project: Path, environment: dict[str, str], hook: str) -> subprocess.CompletedProcess[str]:
    return _pre_commit(project, environment, "run", hook, "--all-files", "--color", "never")


def _pre_commit(project: Path, environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PRE_COMMIT), *arguments], cwd=project, capture_output=True, text=True,
                          timeout=TIMEOUT, env=environment, check=False)


def _git(directory: Path, environment: dict[str, str], *arguments: str) -> str:
    completed = subprocess.run(["git", *arguments], cwd=directory, capture_output=True, text=True, timeout=120,
                               env=environment, check=False)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _gtlint_failures(output: str) -> set[tuple[str, str, str]]:
    """(file, level, rule) of gtlint's errors and warnings in a text report."""
    found: set[tuple[str, str, str]] = set()
    file = ""
    for line in output.splitlines():
        match = GTLINT_FINDING.match(line)
        if match and match["level"] != "note":
            found.add((file, match["level"], match["rule"]))
        elif line and not line[0].isspace():
            file = line
    return found


def _checkov_reports(output: str) -> dict[str, set[tuple[str, str]]]:
    """The gtlint-checkov hook's output: folder -> (check, resource) of the FAILED results of gtlint's checks."""
    runs = re.split(r"^checkov -d (\S+)$", output, flags=re.MULTILINE)
    return {folder: {(match["check"], match["resource"]) for match in CHECKOV_FAILED.finditer(report)
                     if match["check"].startswith("CKV_GTL_")}
            for folder, report in zip(runs[1::2], runs[2::2], strict=True)}


def test_gtlint_hook_passes_once_the_findings_are_suppressed(tmp_path: Path, hook_repo: tuple[str, str],
                                                            environment: dict[str, str], installed: None) -> None:
    from gtlint.scan import scan

    (line,) = {f.location.line for f in scan([str(ROOT / CFN_FAIL)]).findings if f.rule_id == "GTL001"}
    project = _project(tmp_path, hook_repo, environment, [CFN_FAIL])
    template = project / CFN_FAIL
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[line - 1] += "  # gtlint: ignore[GTL001] the volume holds only public sample images"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(project, environment, "add", "-A")
    completed = _run_hook(project, environment, "gtlint")
    assert completed.returncode == 0, completed.stdout
    assert re.search(r"^gtlint\.+Passed$", completed.stdout, re.MULTILINE), completed.stdout
