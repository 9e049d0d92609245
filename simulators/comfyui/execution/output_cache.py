"""ComfyUI's classic node cache: outputs keyed by an input signature, kept only while the prompt uses them."""

import json
import uuid
from collections.abc import Callable
from typing import Any

from attrs import define, field

from simulators.comfyui.execution.execution_list import is_link

# A node's IS_CHANGED value; None means "cannot tell", which makes the node uncacheable.
IsChanged = Callable[[dict[str, Any]], Any]


@define
class CachedNode:
    """What one node produced: its output values, and the UI entry (with meta) of an output node."""

    outputs: tuple[Any, ...]
    ui: dict[str, Any] | None = None


def _ordered_ancestry(prompt: dict[str, Any], node_id: str) -> list[str]:
    ancestors: list[str] = []

    def visit(current: str) -> None:
        if current not in prompt:
            return
        inputs = prompt[current]["inputs"]
        for key in sorted(inputs):
            if is_link(inputs[key]) and inputs[key][0] not in ancestors:
                ancestors.append(inputs[key][0])
                visit(inputs[key][0])

    visit(node_id)
    return ancestors


@define
class OutputCache:
    """One worker's cache; `set_prompt` drops every entry the new prompt cannot use."""

    is_changed: Callable[[str, dict[str, Any]], Any]
    entries: dict[str, CachedNode] = field(factory=dict)
    keys: dict[str, str] = field(factory=dict)

    def set_prompt(self, prompt: dict[str, Any]) -> None:
        """Compute every node's signature and forget entries no node of this prompt has."""
        self.keys = {node_id: self._signature(prompt, node_id) for node_id in prompt}
        used = set(self.keys.values())
        self.entries = {key: entry for key, entry in self.entries.items() if key in used}

    def get(self, node_id: str) -> CachedNode | None:
        """The cached result of a node of the current prompt, if any."""
        return self.entries.get(self.keys.get(node_id, ""))

    def set(self, node_id: str, entry: CachedNode) -> None:
        """Remember what a node of the current prompt produced."""
        self.entries[self.keys[node_id]] = entry

    def _signature(self, prompt: dict[str, Any], node_id: str) -> str:
        ancestors = _ordered_ancestry(prompt, node_id)
        order = {ancestor: index for index, ancestor in enumerate(ancestors)}
        parts = [self._immediate(prompt, current, order) for current in [node_id, *ancestors]]
        return json.dumps(parts, sort_keys=True, default=str)

    def _immediate(self, prompt: dict[str, Any], node_id: str, order: dict[str, int]) -> list[Any]:
        if node_id not in prompt:
            return [uuid.uuid4().hex]
        node = prompt[node_id]
        changed = self.is_changed(node["class_type"], node["inputs"])
        signature = [node["class_type"], uuid.uuid4().hex if changed is None else changed]
        for key in sorted(node["inputs"]):
            value = node["inputs"][key]
            signature.append([key, ["ANCESTOR", order[value[0]], value[1]] if is_link(value) else value])
        return signature
