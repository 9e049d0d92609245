"""Whole-prompt validation with the error bodies of ComfyUI's execution.validate_prompt."""

import traceback
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from simulators.comfyui.execution.input_validation import (
    CustomValidator, Error, InputValidator, Verdict, full_type_name,
)
from simulators.comfyui.nodes.catalog import NodeCatalog


@frozen
class ValidationResult:
    """What POST /prompt needs: validity, the top-level error, the outputs to run and per-node errors."""

    valid: bool
    error: Error | None
    outputs: list[str]
    node_errors: dict[str, Any]


def _prompt_error(kind: str, message: str, details: str, **extra: object) -> ValidationResult:
    return ValidationResult(False, {"type": kind, "message": message, "details": details, "extra_info": extra}, [], {})


def _legacy_node_error(node_id: str, node: dict) -> ValidationResult:
    """0.3.64's invalid_prompt for a node without class_type or of an unknown class."""
    what = (f"node {node['class_type']} does not exist" if "class_type" in node
            else "a node is missing the class_type property")
    return _prompt_error("invalid_prompt", f"Cannot execute because {what}.", f"Node ID '#{node_id}'")


def _missing_node_type(node_id: str, node: dict) -> ValidationResult:
    """Today's missing_node_type, naming the node by its `_meta.title`."""
    class_type = node.get("class_type")
    title = (node.get("_meta") or {}).get("title", class_type)
    message = (f"Node '{title}' not found. The custom node may not be installed." if class_type is not None else
               f"Node '{title or f'ID #{node_id}'}' has no class_type. The workflow may be corrupted or a custom "
               "node is missing.")
    return _prompt_error("missing_node_type", message, f"Node ID '#{node_id}'", node_id=node_id,
                         class_type=class_type, node_title=title)


def _output_nodes(catalog: NodeCatalog, prompt: dict, targets: list | None, *,
                  current: bool) -> list[str] | ValidationResult:
    outputs = []
    for node_id, node in prompt.items():
        if "class_type" not in node or node["class_type"] not in catalog:
            return _missing_node_type(node_id, node) if current else _legacy_node_error(node_id, node)
        if catalog.is_output(node["class_type"]) and (targets is None or node_id in targets):
            outputs.append(node_id)
    return outputs


def _validate_output(validator: InputValidator, output: str) -> Verdict:
    try:
        return validator.validate(output)
    except Exception as ex:
        reasons = [{"type": "exception_during_validation", "message": "Exception when validating node",
                    "details": str(ex), "extra_info": {"exception_type": full_type_name(type(ex)),
                                                       "traceback": traceback.format_tb(ex.__traceback__)}}]
        validator.validated[output] = (False, reasons, output)
        return False, reasons, output


def _collect_node_errors(prompt: dict, validated: dict, output: str, node_errors: dict) -> None:
    for node_id, (valid, reasons, _) in validated.items():
        if valid is not True and reasons:
            entry = node_errors.setdefault(node_id, {"errors": reasons, "dependent_outputs": [],
                                                     "class_type": prompt[node_id]["class_type"]})
            entry["dependent_outputs"].append(output)


def validate_prompt(catalog: NodeCatalog, custom: Mapping[str, CustomValidator], prompt: dict,
                    targets: list | None = None, *, current: bool = False) -> ValidationResult:
    """Validate an API-format prompt; converts constant inputs in place, as the real server does."""
    outputs = _output_nodes(catalog, prompt, targets, current=current)
    if isinstance(outputs, ValidationResult):
        return outputs
    if not outputs:
        return _prompt_error("prompt_no_outputs", "Prompt has no outputs", "")
    validator = InputValidator(catalog, custom, prompt, {})
    good, failed, node_errors = [], [], {}
    for output in outputs:
        valid, reasons, _ = _validate_output(validator, output)
        if valid is True:
            good.append(output)
        else:
            failed += [f"{reason['message']}: {reason['details']}" for reason in reasons]
            _collect_node_errors(prompt, validator.validated, output, node_errors)
    if not good:
        error = {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                 "details": "\n".join(failed), "extra_info": {}}
        return ValidationResult(False, error, [], node_errors)
    return ValidationResult(True, None, good, node_errors)
