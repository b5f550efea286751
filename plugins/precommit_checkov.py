"""The `gtlint-checkov` pre-commit hook: Checkov with gtlint's checks on the folders of the changed files.

pre-commit passes file names; Checkov scans folders (a Terraform module is a folder). The folders
are those of the changed `.tf` files and of changed documents that can be CloudFormation, SAM or
plan JSON, so that a `.pre-commit-config.yaml` at the top does not make Checkov scan the whole
repository. A folder inside another one is left to the outer one, since Checkov scans subfolders.
Checkov runs once per folder: with several `-d` in one run it mixes up their results
(bridgecrewio/checkov#7327). Options before `--` go to Checkov; the file names follow it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence

from gtlint.cli import plugin_path

_INFRASTRUCTURE = re.compile(r"Resources|planned_values")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "--" not in arguments:
        print("gtlint-checkov: end the hook's args with --: the file names follow it", file=sys.stderr)
        return 2
    split = arguments.index("--")
    options, files = arguments[:split], arguments[split + 1 :]
    checks = plugin_path("checkov")
    codes = [0]
    for folder in outermost(sorted({os.path.normpath(os.path.dirname(name)) for name in files if _is_iac(name)})):
        print(f"checkov -d {folder}", flush=True)
        codes.append(subprocess.call(["checkov", "--external-checks-dir", checks, *options, "-d", folder]))
    return max(codes)


def outermost(folders: list[str]) -> list[str]:
    return [folder for folder in folders
            if not any(other != folder and (other == "." or folder.startswith(other + os.sep)) for other in folders)]


def _is_iac(name: str) -> bool:
    if name.endswith((".tf", ".tf.json")):
        return True
    try:
        with open(name, encoding="utf-8", errors="replace") as handle:
            return _INFRASTRUCTURE.search(handle.read(1 << 20)) is not None
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
