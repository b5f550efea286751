"""Findings per host entity (a template resource, a Terraform address), for the host adapters.

Hosts check one entity at a time; gtlint reads the entity's whole file once (cached by path
and modification time) so that references, parameters and variables resolve as in `gtlint scan`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from gtlint.checks import Finding, run_checks
from gtlint.document import FileReader, LoadError
from gtlint.request import LabelingJobRequest
from gtlint.scan import read_requests, terraform_module
from gtlint.snapshot import snapshot_from_environment
from gtlint.sources.extract import module_requests


def findings_for(path: str, entity: str | None, forms: tuple[str, ...] = ()) -> list[Finding] | None:
    """Findings for the requests of `entity` (a logical id, a Terraform address, a manifest's name) in `path`;
    None when the entity holds no labeling-job request (a state machine without one, a `null_resource`).
    Entity None is the whole file, limited to requests of `forms` (hosts that check whole documents).

    Raises LoadError when the file (or the snapshot GTLINT_IAM_SNAPSHOT names) cannot be read.
    """
    stamp = os.stat(path).st_mtime_ns
    requests = [request for request in _requests(os.path.realpath(path), stamp)
                if (request.form in forms if entity is None else _belongs(request, entity))]
    if not requests:
        return None
    snapshot = snapshot_from_environment()
    return [finding for request in requests for finding in run_checks(request, snapshot=snapshot)]


def _belongs(request: LabelingJobRequest, entity: str) -> bool:
    # Checkov names a resource of a called module `module.<call>.<address>`; gtlint reads the module's own folder.
    entity = _MODULE_PREFIX.sub("", entity)
    return request.name == entity or request.name.startswith(f"{entity}.")


_MODULE_PREFIX = re.compile(r"\A(?:module\.[^.]+\.)+")


@lru_cache(maxsize=64)
def _requests(path: str, _stamp: int) -> tuple[LabelingJobRequest, ...]:
    directory = os.path.dirname(path)
    if path.endswith(".tf"):
        return tuple(module_requests(terraform_module(directory, FileReader(directory))))
    return tuple(read_requests(path))


__all__ = ["LoadError", "findings_for"]
