"""What the cfn-lint rules share: gtlint's findings for the template cfn-lint decoded, computed once."""

from __future__ import annotations

import logging
import os
from typing import Any

from gtlint import catalogue
from gtlint.checks import run_checks
from gtlint.document import FileReader
from gtlint.findings import Finding, internal_error
from gtlint.request import Location
from gtlint.snapshot import SnapshotError, snapshot_from_environment
from gtlint.sources import cloudformation
from gtlint.sources.extract import template_requests

logger = logging.getLogger("gtlint")
_last: list[Any] = [None, []]  # (template object, its findings): every rule asks about the same template


def template_findings(cfn: Any) -> list[Finding]:
    if _last[0] is not cfn:
        _last[0], _last[1] = cfn, _compute(cfn)
    return _last[1]


def _compute(cfn: Any) -> list[Finding]:
    filename = str(getattr(cfn, "filename", "") or "")
    directory = os.path.dirname(os.path.abspath(filename)) if filename else os.getcwd()
    try:
        template = cloudformation.Template(cfn.template, filename, FileReader(directory).reader_for(directory))
        snapshot = snapshot_from_environment()
        requests = template_requests(template)
        return [finding for request in requests for finding in run_checks(request, snapshot=snapshot)]
    except SnapshotError as error:  # a setting to fix: every rule says so, rather than passing unseen
        return _every_rule(f"{error}; nothing was checked", filename, "GTLINT_IAM_SNAPSHOT")
    except Exception as error:  # an adapter must not crash cfn-lint, nor let a bug pass the template unseen
        logger.warning("gtlint: %s could not be checked", filename, exc_info=True)
        return _every_rule(f"gtlint could not check this template: {internal_error(error)}", filename, "gtlint")


def _every_rule(message: str, filename: str, subject: str) -> list[Finding]:
    return [Finding(rule.id, rule.level, message, Location(filename), subject) for rule in catalogue.REQUEST_RULES]

