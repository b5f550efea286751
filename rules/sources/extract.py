"""Which extractor reads a document, and the IAM context each request gets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gtlint.request import LabelingJobRequest, Location, Node, Unknown, has_labeling_job_shape
from gtlint.sources import (
    cloudformation,
    cloudformation_iam,
    kubernetes,
    notebook,
    stepfunctions,
    terraform,
    terraform_iam,
    terraform_plan,
)
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator, TooLarge

ReadFile = cloudformation.ReadFile


def requests_in_document(document: Any, file: str, read_file: ReadFile | None = None) -> list[LabelingJobRequest]:
    """The requests of a loaded JSON or YAML document, whichever form it is."""
    if terraform_plan.is_plan(document):
        return terraform_plan.plan_requests(document, file)
    if cloudformation.is_template(document):
        return template_requests(cloudformation.Template(document, file, read_file))
    if stepfunctions.is_definition(document):
        root = Location(file, 1, 1, ())
        builder = Builder(MarkLocator(), (_template_placeholder,))
        return stepfunctions.requests_in_definition(document, root, builder, "stepfunctions", "")
    if kubernetes.is_labeling_job(document):
        return [kubernetes.manifest_request(document, file)]
    if notebook.is_notebook(document):
        return notebook.notebook_requests(document, file)
    if has_labeling_job_shape(document):
        return [request_document(document, file)]
    return []


def request_document(document: dict, file: str, location: Location | None = None,
                     locator: MarkLocator | None = None) -> LabelingJobRequest:
    """A document that is the request itself: a CLI skeleton, `--cli-input-json`, an inline JSON string."""
    root = location or Location(file, 1, 1, ())
    try:
        body = Builder(locator or MarkLocator()).build(document, root)
    except TooLarge as error:
        body = Node(Unknown(f"the request is too large to check ({error})"), root)
    name = document.get("LabelingJobName")
    return LabelingJobRequest(body or Node({}, root), "request_document", name if isinstance(name, str) else file)


def template_requests(template: cloudformation.Template) -> list[LabelingJobRequest]:
    """A template's requests, each with the roles and keys the template defines."""
    requests = template.requests()
    if not requests:
        return []
    context = cloudformation_iam.iam_context(template)
    return [replace(request, context=context) for request in requests]


def module_requests(module: terraform.Module) -> list[LabelingJobRequest]:
    """A Terraform module's requests, each with the roles and keys the module defines."""
    requests = module.requests()
    if not requests:
        return []
    context = terraform_iam.iam_context(module)
    return [replace(request, context=context) for request in requests]


def _template_placeholder(builder: Builder, value: Any, location: Location) -> Any:
    """A standalone definition may be a template (templatefile, DefinitionSubstitutions): `${x}` is unknown."""
    if isinstance(value, str) and "${" in value:
        return Node(Unknown(f"{value!r} holds a template placeholder, filled in when it is deployed"), location)
    return NOT_SPECIAL
