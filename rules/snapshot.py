"""An account's deployed IAM, from `aws iam get-account-authorization-details` (`--iam-snapshot`).

Roles outside the scanned code are looked up here by ARN (or by path and name), with their
inline policies, attached managed policies (documents from the snapshot, else gtlint's table)
and permissions boundary.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from functools import lru_cache
from typing import Any

from gtlint.document import FileReader, LoadError, load_json
from gtlint.environment import IamContext, Role
from gtlint.iam import Policy, Term
from gtlint.managed_policies import policy_by_arn
from gtlint.request import Location
from gtlint.sources.policy_document import policy_from_plain

ENVIRONMENT_VARIABLE = "GTLINT_IAM_SNAPSHOT"  # for the hosts, which take no gtlint options


class SnapshotError(LoadError):
    """The snapshot GTLINT_IAM_SNAPSHOT names cannot be used: a setting to fix, not a file to skip."""


def load_snapshot(path: str) -> IamContext:
    """Raises LoadError when the file cannot be read or is not an authorization-details document."""
    directory = os.path.dirname(os.path.abspath(path))
    document = load_json(FileReader(directory).reader_for(directory)(os.path.basename(path)))
    if not isinstance(document, dict) or not isinstance(document.get("RoleDetailList"), list):
        raise LoadError("not the output of `aws iam get-account-authorization-details` (no RoleDetailList)")
    return _Reader(document, path).context()


@lru_cache(maxsize=4)
def _cached(path: str, _stamp: int) -> IamContext:
    return load_snapshot(path)


def snapshot_from_environment() -> IamContext | None:
    """The snapshot GTLINT_IAM_SNAPSHOT names, if any; raises SnapshotError when it cannot be read."""
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    if not path:
        return None
    try:
        return _cached(os.path.abspath(path), os.stat(path).st_mtime_ns)
    except OSError as error:
        raise SnapshotError(f"{ENVIRONMENT_VARIABLE}={path}: {error.strerror}") from None
    except LoadError as error:
        raise SnapshotError(f"{ENVIRONMENT_VARIABLE}={path}: {error}") from None


class _Reader:
    def __init__(self, document: dict, path: str) -> None:
        self.document = document
        self.location = Location(path)
        self.managed = {str(item.get("Arn")): item for item in document.get("Policies") or [] if isinstance(item, dict)}

    def context(self) -> IamContext:
        roles = {}
        for detail in self.document["RoleDetailList"]:
            if isinstance(detail, dict) and isinstance(detail.get("Arn"), str):
                roles[detail["Arn"]] = self._role(detail)
        policies = {arn: self._managed(arn) for arn in self.managed}
        return IamContext(roles=roles, policies_by_arn=policies, snapshot_name=f"the snapshot {self.location.file}")

    def _role(self, detail: dict) -> Role:
        arn = detail["Arn"]
        label = f"role {detail.get('RoleName', arn)} (from the snapshot)"
        trust = self._document(detail.get("AssumeRolePolicyDocument"), f"the trust policy of {label}")
        inline = [self._document(item.get("PolicyDocument"), f"inline policy {item.get('PolicyName')} of {label}")
                  for item in detail.get("RolePolicyList") or [] if isinstance(item, dict)]
        attached = [self._managed(str(item.get("PolicyArn"))) for item in detail.get("AttachedManagedPolicies") or []
                    if isinstance(item, dict)]
        boundary_arn = (detail.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        boundary = self._managed(boundary_arn) if isinstance(boundary_arn, str) else None
        return Role(label, Term(arn, arn), trust, tuple(inline + attached), boundary, self.location)

    def _managed(self, arn: str) -> Policy:
        """The default version's document from the snapshot; an AWS managed policy it lacks, from the table."""
        item = self.managed.get(arn)
        versions = item.get("PolicyVersionList") if item else None
        for version in versions or []:
            if isinstance(version, dict) and version.get("IsDefaultVersion"):
                return self._document(version.get("Document"), f"managed policy {item.get('PolicyName', arn)}")
        return policy_by_arn(arn, self.location, "the snapshot")

    def _document(self, document: Any, label: str) -> Policy:
        if isinstance(document, str):  # the API returns documents URL-encoded; the CLI decodes them
            try:
                document = json.loads(urllib.parse.unquote(document))
            except ValueError:
                return Policy(label, (), "the policy document in the snapshot is not valid JSON")
        if not isinstance(document, dict):
            return Policy(label, (), "the snapshot has no policy document")
        return policy_from_plain(document, label, self.location)
