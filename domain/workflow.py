"""ComfyUI API-format workflows: where parameters go (a binding), filling them in, and LoRA injection."""

import copy
from typing import Any

from attrs import frozen

from domain.errors import InvalidValue

Workflow = dict[str, dict[str, Any]]
PARAMETERS = ("prompt", "negative_prompt", "seed", "width", "height", "frames", "fps", "init_image",
              "steps", "cfg", "sampler", "scheduler", "checkpoint", "denoise")


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

    def check_against(self, workflow: Workflow) -> None:
        """Every bound node and input exists in the workflow."""
        if self.output_node not in workflow:
            raise InvalidValue("output_node", f"node '{self.output_node}' is not in the workflow")
        for parameter, targets in self.inputs.items():
            if parameter not in PARAMETERS:
                raise InvalidValue(f"inputs.{parameter}", f"unknown parameter; use one of {', '.join(PARAMETERS)}")
            for target in targets:
                if target.node not in workflow:
                    raise InvalidValue(f"inputs.{parameter}", f"node '{target.node}' is not in the workflow")


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
