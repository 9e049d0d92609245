"""What a ComfyUI server's nodes accept, and checking a workflow against it."""

import re
from typing import Any

from attrs import frozen

from domain.errors import InvalidValue
from domain.validation import NO_NUL, Limits, Pattern

NODE_ID = r"^[A-Za-z0-9_:\-]{1,64}$"
MAX_NODES = 500
MAX_CLASS_TYPE = 200


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
    """An API-format workflow: {node_id: {"class_type": str, "inputs": {...}}}, 1 to MAX_NODES nodes."""
    if not isinstance(workflow, dict) or not workflow:
        raise InvalidValue("workflow", "must be a non-empty object of nodes (ComfyUI 'Export (API)' format)")
    if len(workflow) > MAX_NODES:
        raise InvalidValue("workflow", f"at most {MAX_NODES} nodes")
    for node_id, spec in workflow.items():
        if not re.fullmatch(NODE_ID[1:-1], node_id):
            raise InvalidValue("workflow", f"node id '{node_id[:64]}' may hold only letters, digits, _ : - "
                                           "(1 to 64 of them)")
        _check_node(node_id, spec)
    return workflow


def _check_node(node_id: str, spec: Any) -> None:
    class_type = spec.get("class_type") if isinstance(spec, dict) else None
    if not isinstance(class_type, str) or not 0 < len(class_type) <= MAX_CLASS_TYPE or "\x00" in class_type:
        raise InvalidValue(f"workflow.{node_id}", f"each node needs a 'class_type': a string of 1 to "
                                                  f"{MAX_CLASS_TYPE} characters")
    inputs = spec.get("inputs", {})
    if not isinstance(inputs, dict) or any("\x00" in name for name in inputs):
        raise InvalidValue(f"workflow.{node_id}", "'inputs' must be an object (names without NUL characters)")


NODE_REFERENCE = Pattern(NODE_ID, "a node id: 1 to 64 letters, digits, _ : or -")
EXAMPLE_WORKFLOW = {  # ComfyUI's core nodes only: a white square, inverted, saved
    "1": {"class_type": "EmptyImage", "inputs": {"width": 512, "height": 512, "batch_size": 1, "color": 16777215}},
    "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
    "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "storycanvas"}},
}


@frozen
class NodeMap:
    """A field holding an API-format workflow (see `check_shape`)."""

    def __call__(self, _instance: Any, _attribute: Any, value: Any) -> None:
        check_shape(value)

    @property
    def limits(self) -> Limits:
        node = Limits(properties={
            "class_type": (str, Limits(min_length=1, max_length=MAX_CLASS_TYPE, pattern=NO_NUL)),
            "inputs": (dict[str, Any], None),
        }, required=("class_type",), closed=False)
        return Limits(min_items=1, max_items=MAX_NODES, keys=Limits(pattern=NODE_ID), items=node,
                      description="ComfyUI's API format ('Export (API)'): nodes by id, each with its "
                                  "`class_type` and `inputs`")


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
