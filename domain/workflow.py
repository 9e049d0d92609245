"""ComfyUI API-format workflows: where parameters go (a binding), filling them in, and LoRA injection."""

import copy
import re
from typing import Any

from attrs import frozen

from domain.errors import InvalidValue
from domain.node_catalog import NODE_ID, NodeCatalog
from domain.validation import Limits

Workflow = dict[str, dict[str, Any]]
PARAMETERS = ("prompt", "negative_prompt", "seed", "width", "height", "frames", "fps", "init_image",
              "steps", "cfg", "sampler", "scheduler", "checkpoint", "denoise")
NODE_INPUT = rf"^{NODE_ID[1:-1]}\.[^\x00]{{1,200}}$"  # "6.text": a node id, a dot, an input name
EXAMPLE_INPUTS = {"width": "1.width", "height": "1.height"}  # of node_catalog.EXAMPLE_WORKFLOW


@frozen
class NodeInput:
    """One input of one node, written "NODE.input" (e.g. "6.text")."""

    node: str
    name: str

    @classmethod
    def parse(cls, text: str, *, field: str) -> "NodeInput":
        node, dot, name = text.partition(".")
        if not dot or not node or not name:
            raise InvalidValue(field, f"'{text}' is not of the form NODE.input")
        return cls(node, name)

    def __str__(self) -> str:
        return f"{self.node}.{self.name}"


@frozen
class Bindings:
    """A field of where parameters go: {parameter: "NODE.input" or a list of them}, each parameter one of
    PARAMETERS (whether the nodes and inputs exist is checked against the workflow, see `check_against`)."""

    def __call__(self, _instance: Any, _attribute: Any, value: dict[str, str | list[str]]) -> None:
        for parameter, targets in value.items():
            if parameter not in PARAMETERS:
                raise InvalidValue(f"inputs.{parameter}", f"unknown parameter; use one of {', '.join(PARAMETERS)}")
            for target in [targets] if isinstance(targets, str) else targets:
                if not re.fullmatch(NODE_INPUT[1:-1], target):
                    raise InvalidValue(f"inputs.{parameter}", f"'{target[:300]}' is not of the form NODE.input")

    @property
    def limits(self) -> Limits:
        target = Limits(pattern=NODE_INPUT, items=Limits(pattern=NODE_INPUT))
        return Limits(keys=Limits(pattern=f"^(?:{'|'.join(PARAMETERS)})$"), items=target)


@frozen
class NodeOutput:
    node: str
    index: int


@frozen
class WorkflowBinding:
    """Which node inputs receive each generation parameter, and which node holds the result."""

    output_node: str
    inputs: dict[str, tuple[NodeInput, ...]]
    model_source: NodeOutput | None = None  # where a LoRA loader takes MODEL from
    clip_source: NodeOutput | None = None  # ... and CLIP from

    def check_against(self, workflow: Workflow, catalog: NodeCatalog | None = None) -> None:
        """Every bound node exists in the workflow, and every bound input is a value input of its node: one the
        node sets, or (given the server's catalog) one its class takes; never an input fed by a link."""
        if self.output_node not in workflow:
            raise InvalidValue("output_node", f"node '{self.output_node}' is not in the workflow")
        for parameter, targets in self.inputs.items():
            if parameter not in PARAMETERS:
                raise InvalidValue(f"inputs.{parameter}", f"unknown parameter; use one of {', '.join(PARAMETERS)}")
            for target in targets:
                if target.node not in workflow:
                    raise InvalidValue(f"inputs.{parameter}", f"node '{target.node}' is not in the workflow")
                _check_input(workflow, target, catalog, field=f"inputs.{parameter}")


def _check_input(workflow: Workflow, target: NodeInput, catalog: NodeCatalog | None, *, field: str) -> None:
    spec = workflow[target.node]
    given = spec.get("inputs", {})
    known = set(given) | (catalog[spec["class_type"]].inputs if catalog and spec["class_type"] in catalog else set())
    if target.name not in known:
        raise InvalidValue(field, f'"{target}" names no input of node {target.node} ({spec["class_type"]}); '
                                  f"its inputs: {', '.join(sorted(known)) or 'none'}")
    value = given.get(target.name)
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        raise InvalidValue(field, f'"{target}" is fed by node {value[0]}: bind a value input, not a link')


def filled(workflow: Workflow, binding: WorkflowBinding, values: dict[str, Any]) -> Workflow:
    """A copy of `workflow` with each bound parameter of `values` written into its node input."""
    result = copy.deepcopy(workflow)
    for parameter, value in values.items():
        for target in binding.inputs.get(parameter, ()) if value is not None else ():
            result[target.node]["inputs"][target.name] = value
    return result


def _next_node_id(workflow: Workflow) -> str:
    numeric = [int(node) for node in workflow if node.isdigit()]
    return str(max(numeric, default=0) + 1)


def _rewired(value: Any, old: NodeOutput, new: NodeOutput) -> Any:
    if isinstance(value, list) and len(value) == 2 and value[0] == old.node and value[1] == old.index:
        return [new.node, new.index]
    return value


def with_lora(workflow: Workflow, binding: WorkflowBinding, *, lora: str, strength: float) -> tuple[Workflow, WorkflowBinding]:
    """Insert a LoRA loader after the model (and CLIP) source; every consumer now reads from it."""
    if binding.model_source is None:
        raise InvalidValue("lora", "this workflow does not say where its model comes from (model_source)")
    result, node = copy.deepcopy(workflow), _next_node_id(workflow)
    sources = [(binding.model_source, NodeOutput(node, 0))]
    inputs: dict[str, Any] = {"lora_name": lora, "strength_model": strength,
                              "model": [binding.model_source.node, binding.model_source.index]}
    if binding.clip_source is not None:
        sources.append((binding.clip_source, NodeOutput(node, 1)))
        inputs |= {"strength_clip": strength, "clip": [binding.clip_source.node, binding.clip_source.index]}
    for spec in result.values():
        for name, value in spec["inputs"].items():
            for old, new in sources:
                spec["inputs"][name] = value = _rewired(value, old, new)
    class_type = "LoraLoader" if binding.clip_source is not None else "LoraLoaderModelOnly"
    result[node] = {"class_type": class_type, "inputs": inputs}
    chained = WorkflowBinding(
        output_node=binding.output_node, inputs=binding.inputs, model_source=NodeOutput(node, 0),
        clip_source=NodeOutput(node, 1) if binding.clip_source is not None else None,
    )
    return result, chained
