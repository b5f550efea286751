"""AWS Controllers for Kubernetes (ACK) `LabelingJob` manifests: the spec is the request, in camelCase."""

from __future__ import annotations

from typing import Any

from gtlint.request import LabelingJobRequest, Location, Node, Unknown
from gtlint.sources.api_names import api_name
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator, TooLarge

API_GROUP = "sagemaker.services.k8s.aws"
KIND = "LabelingJob"


def is_labeling_job(document: object) -> bool:
    return (isinstance(document, dict) and document.get("kind") == KIND
            and str(document.get("apiVersion", "")).startswith(f"{API_GROUP}/"))


def manifest_request(document: dict, file: str) -> LabelingJobRequest:
    root = Location(file, 1, 1, ())
    builder = Builder(MarkLocator(), (_api_names,))
    metadata = document.get("metadata")
    name = str(metadata.get("name", KIND)) if isinstance(metadata, dict) else KIND
    spec_location = builder.child_location(document, "spec", root)
    spec = document.get("spec")
    try:
        body = builder.build(spec, spec_location) if isinstance(spec, dict) else None
    except TooLarge as error:
        body = Node(Unknown(f"the spec is too large to check ({error})"), spec_location)
    if body is None:
        body = Node(Unknown("the manifest has no spec object"), spec_location)
    return LabelingJobRequest(body, "kubernetes", name)


def _api_names(builder: Builder, value: Any, location: Location) -> Any:
    """Objects keep their values, under the API's member names."""
    if not isinstance(value, dict):
        return NOT_SPECIAL
    children = {}
    for key, item in value.items():
        child = builder.build(item, builder.child_location(value, key, location))
        if child is not None:
            children[api_name(str(key))] = child
    return Node(children, location)
