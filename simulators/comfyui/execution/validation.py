"""Whole-prompt validation with the error bodies of ComfyUI's execution.validate_prompt."""

import traceback
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from adapters.comfyui.simulator.catalog import NodeCatalog
from adapters.comfyui.simulator.input_validation import (
    CustomValidator, Error, InputValidator, Verdict, full_type_name,
)


@frozen
class ValidationResult:
    """What POST /prompt needs: validity, the top-level error, the outputs to run and per-node errors."""

    valid: bool
    error: Error | None
    outputs: list[str]
    node_errors: dict[str, Any]


def _prompt_error(kind: str, message: str, details: str) -> ValidationResult:
    return ValidationResult(False, {"type": kind, "message": message, "details": details, "extra_info": {}}, [], {})


def _output_nodes(catalog: NodeCatalog, prompt: dict, targets: list | None) -> list[str] | ValidationResult:
    outputs = []
    for node_id, node in prompt.items():
        if "class_type" not in node:
            return _prompt_error("invalid_prompt", "Cannot execute because a node is missing the class_type property.",
                                 f"Node ID '#{node_id}'")
        if node["class_type"] not in catalog:
            return _prompt_error("invalid_prompt", f"Cannot execute because node {node['class_type']} does not exist.",
                                 f"Node ID '#{node_id}'")
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
                    targets: list | None = None) -> ValidationResult:
    """Validate an API-format prompt; converts constant inputs in place, as the real server does."""
    outputs = _output_nodes(catalog, prompt, targets)
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
