"""What a ComfyUI server's nodes accept, and checking a workflow against it."""

import re
from typing import Any

from attrs import frozen

from domain.errors import InvalidValue

NODE_ID = re.compile(r"^[A-Za-z0-9_:\-]{1,64}$")


@frozen
class NodeSpec:
    class_type: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    is_output: bool = False

    @property
    def inputs(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)


NodeCatalog = dict[str, NodeSpec]


def check_shape(workflow: Any) -> dict[str, dict[str, Any]]:
    """An API-format workflow: {node_id: {"class_type": str, "inputs": {...}}}."""
    if not isinstance(workflow, dict) or not workflow:
        raise InvalidValue("workflow", "must be a non-empty object of nodes (ComfyUI 'Export (API)' format)")
    for node_id, spec in workflow.items():
        if not NODE_ID.match(node_id):
            raise InvalidValue("workflow", f"node id '{node_id[:64]}' may hold only letters, digits, _ : -")
        if not isinstance(spec, dict) or not isinstance(spec.get("class_type"), str):
            raise InvalidValue(f"workflow.{node_id}", "each node needs a string 'class_type'")
        if not isinstance(spec.get("inputs", {}), dict):
            raise InvalidValue(f"workflow.{node_id}", "'inputs' must be an object")
    return workflow


def check_against_catalog(workflow: dict[str, dict[str, Any]], catalog: NodeCatalog, *, output_node: str) -> None:
    """Every node's class and inputs exist on the server, and the output node is an output node."""
    if output_node not in workflow:
        raise InvalidValue("output_node", f"node '{output_node}' is not in the workflow")
    for node_id, spec in workflow.items():
        known = catalog.get(spec["class_type"])
        if known is None:
            raise InvalidValue(f"workflow.{node_id}", f"node {node_id} uses class '{spec['class_type']}', "
                                                      "which the server does not have")
        unknown = sorted(set(spec.get("inputs", {})) - known.inputs)
        if unknown:
            raise InvalidValue(f"workflow.{node_id}", f"node {node_id} ({spec['class_type']}) has no input "
                                                      f"{', '.join(unknown)}")
    if not catalog[workflow[output_node]["class_type"]].is_output:
        raise InvalidValue("output_node", f"node {output_node} ({workflow[output_node]['class_type']}) is not an "
                                          "output node")
