"""gtlint's rules as Checkov checks for JSON and YAML documents that are a request or a state machine definition.

Checkov's `json` and `yaml` frameworks hand every document of those suffixes to these checks:
CloudFormation, plans and manifests too, which other checks cover. A document holding no
request document or standalone Step Functions definition gives UNKNOWN, so it is not reported.
"""

import pathlib
import runpy

runpy.run_path(str(pathlib.Path(__file__).resolve().parents[1] / "clone_import.py"))  # a plain clone works too

from checkov.json_doc.base_json_check import BaseJsonCheck  # noqa: E402
from checkov.json_doc.enums import BlockType as JsonBlock  # noqa: E402
from checkov.yaml_doc.base_yaml_check import BaseYamlCheck  # noqa: E402
from checkov.yaml_doc.enums import BlockType as YamlBlock  # noqa: E402
from gtlint import catalogue  # noqa: E402
from gtlint.plugins.checkov_host import describe, verdict  # noqa: E402

FORMS = ("request_document", "stepfunctions")


def _document_rule(base, block_type):
    class DocumentRule(base):
        rule_id = ""

        def __init__(self) -> None:
            describe(self, self.rule_id, ["*"], base, supported_keyword="supported_entities", block_type=block_type)

        def scan_entity_conf(self, conf, entity_type):
            path = self.entity_path.split(":*:", 1)[0]  # "<file>:*:<file>"
            return verdict(self, self.rule_id, path or None, None, FORMS)

    return DocumentRule


JsonRule = _document_rule(BaseJsonCheck, JsonBlock.DOCUMENT)
YamlRule = _document_rule(BaseYamlCheck, YamlBlock.DOCUMENT)
checks = [type(f"{base.__name__}{rule.id}", (base,), {"rule_id": rule.id})() for base in (JsonRule, YamlRule)
          for rule in catalogue.REQUEST_RULES]
