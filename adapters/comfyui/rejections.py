"""ComfyUI's 400 answers to POST /prompt, as WorkflowRejected: permanent, or this server's alone."""

from typing import Any

from application.ports.generation_backend import WorkflowRejected

# refused for the prompt's structure: no server will take it
PERMANENT_TYPES = {"invalid_prompt_id", "prompt_no_outputs", "no_prompt"}
# node errors a different server may not have: a model file or an input image missing there
SERVER_NODE_ERRORS = {"value_not_in_list", "custom_validation_failed"}


def _permanent(error: dict[str, Any], node_errors: dict[str, Any]) -> bool:
    kind, message = error.get("type"), str(error.get("message", ""))
    if kind in PERMANENT_TYPES:
        return True
    if kind == "invalid_prompt":
        return "does not exist" not in message  # a node class missing here may exist elsewhere
    if kind == "prompt_outputs_failed_validation":
        types = {item.get("type") for node in node_errors.values() if isinstance(node, dict)
                 for item in node.get("errors", []) if isinstance(item, dict)}
        return bool(types) and not types <= SERVER_NODE_ERRORS
    return False


def rejection(body: Any) -> WorkflowRejected:
    """ComfyUI's 400 body -> an error naming each failing node and input."""
    error = body.get("error", {}) if isinstance(body, dict) else {}
    error = error if isinstance(error, dict) else {"message": str(error)}
    node_errors = body.get("node_errors", {}) if isinstance(body, dict) else {}
    node_errors = node_errors if isinstance(node_errors, dict) else {}
    parts = [f"{error.get('message', 'workflow rejected')}" + (f": {error['details']}" if error.get("details") else "")]
    for node_id, node in node_errors.items():
        for item in node.get("errors", []) if isinstance(node, dict) else []:
            parts.append(f"node {node_id} ({node.get('class_type')}): {item.get('message')} {item.get('details', '')}".strip())
    return WorkflowRejected("; ".join(parts), node_errors, permanent=_permanent(error, node_errors))
