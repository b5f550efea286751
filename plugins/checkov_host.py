"""What the Checkov checks share: turning a Checkov entity into gtlint's input and findings into a result.

Checkov has no "note": a value gtlint cannot decide statically gives UNKNOWN (not a pass, not
counted), or FAILED when GTLINT_STRICT=1, as `gtlint scan --strict` reports notes as warnings.
"""

from __future__ import annotations

import inspect
import logging
import os
from typing import Any

from checkov.common.bridgecrew.severities import BcSeverities, Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from gtlint import catalogue
from gtlint.entities import LoadError, findings_for
from gtlint.findings import Finding, internal_error
from gtlint.snapshot import SnapshotError

SEVERITY = {"error": BcSeverities.HIGH, "warning": BcSeverities.MEDIUM, "note": BcSeverities.LOW}
logger = logging.getLogger("gtlint")


def describe(check: Any, rule_id: str, supported: list[str], base: type,
             supported_keyword: str = "supported_resources", **extra: Any) -> None:
    """Initialise a Checkov check from the catalogue (some frameworks call what they check `supported_entities`)."""
    rule = catalogue.get(rule_id)
    if "guideline" in inspect.signature(base.__init__).parameters:  # the json and yaml checks take none
        extra["guideline"] = rule.help_uri
    base.__init__(
        check, name=f"{rule.title} ({rule.id})", id=rule.checkov_id, categories=[CheckCategories.ENCRYPTION],
        **{supported_keyword: supported}, **extra,
    )
    check.guideline = rule.help_uri
    check.severity = Severities[SEVERITY[rule.level]]


def verdict(check: Any, rule_id: str, path: str | None, entity: str | None,
            forms: tuple[str, ...] = ()) -> CheckResult:
    """The result of rule `rule_id` for `entity` of the file at `path` (None: its requests of `forms`)."""
    if not path:
        logger.warning("gtlint %s: no file for %s, not checked", rule_id, entity)
        return CheckResult.UNKNOWN
    try:
        all_findings = findings_for(path, entity, forms)
        if all_findings is None:  # nothing to check: not a pass to count
            return CheckResult.UNKNOWN
        findings = [finding for finding in all_findings if finding.rule_id == rule_id]
    except SnapshotError as error:  # a setting to fix: failing says so, where UNKNOWN would pass unseen
        check.details = [f"{error}; nothing was checked"]
        return CheckResult.FAILED
    except (LoadError, OSError) as error:  # Checkov read it, gtlint cannot: not a pass either
        check.details = [f"gtlint cannot read {path} ({error}); {entity} not checked"]
        logger.warning("%s (%s)", check.details[0], rule_id)
        return CheckResult.FAILED
    except Exception as error:  # an adapter must not crash the host nor turn a bug into a pass
        check.details = [f"gtlint could not check {entity}: {internal_error(error)}"]
        # Checkov drops `details` from some frameworks' reports (CloudFormation): the log always has the reason.
        logger.warning("%s (%s, %s)", check.details[0], rule_id, path, exc_info=True)
        return CheckResult.FAILED
    check.details = [finding.message for finding in findings]
    return _result(findings)


def _result(findings: list[Finding]) -> CheckResult:
    levels = {finding.level for finding in findings}
    if levels & {"error", "warning"}:
        return CheckResult.FAILED
    if "note" in levels:
        return CheckResult.FAILED if os.environ.get("GTLINT_STRICT") == "1" else CheckResult.UNKNOWN
    return CheckResult.PASSED


def terraform_file(graph: Any, address: str, entity_path: str) -> str | None:
    """The file Checkov read a Terraform resource (or plan resource) from, from its graph.

    Folders scanned together may repeat an address; Checkov's entity path (`/dir/main.tf:type:name`,
    relative to the scanned folder) tells them apart.
    """
    if graph is None:
        return None
    scanned = entity_path.split(":", 1)[0]
    networkx = type(graph).__module__.startswith("networkx")
    vertices = graph.nodes(data=True) if networkx else graph.nodes()  # rustworkx: (index, attributes)
    for item in vertices:
        attributes = item[1] if isinstance(item, tuple) else getattr(item, "attributes", {})
        if isinstance(attributes, dict) and attributes.get("__address__") == address:
            path = attributes.get("file_path_") or attributes.get("file_path") or ""
            if path.endswith(scanned):
                return path
    return None
