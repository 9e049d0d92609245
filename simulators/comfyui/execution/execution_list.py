"""The order nodes run in: ComfyUI's ExecutionList (a topological dissolve that prefers output nodes)."""

from collections.abc import Callable
from typing import Any


def is_link(value: Any) -> bool:
    """A `[node_id, slot]` reference to another node's output."""
    return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], (int, float)))


class DependencyCycleError(Exception):
    """Raised (as the real graph.DependencyCycleError) when no pending node can run."""


class ExecutionList:
    """Pending nodes with their blockers; cached nodes are never added."""

    def __init__(self, prompt: dict[str, Any], is_cached: Callable[[str], bool], is_output: Callable[[str], bool]):
        self.prompt = prompt
        self.is_cached = is_cached
        self.is_output = is_output
        self.pending: dict[str, bool] = {}
        self.block_count: dict[str, int] = {}
        self.blocking: dict[str, dict[str, bool]] = {}

    def add_node(self, node_id: str) -> None:
        """Add a node and every uncached ancestor it needs."""
        stack, links = [node_id], []
        while stack:
            unique_id = stack.pop()
            if unique_id in self.pending:
                continue
            self.pending[unique_id] = True
            self.block_count[unique_id] = 0
            self.blocking[unique_id] = {}
            for value in self.prompt[unique_id]["inputs"].values():
                if is_link(value) and not self.is_cached(value[0]):
                    stack.append(value[0])
                    links.append((value[0], unique_id))
        for source, target in links:
            self._add_strong_link(source, target)

    def _add_strong_link(self, source: str, target: str) -> None:
        self.add_node(source)
        if target not in self.blocking[source]:
            self.blocking[source][target] = True
            self.block_count[target] += 1

    def is_empty(self) -> bool:
        """Whether every node has run."""
        return not self.pending

    def next_node(self) -> str:
        """The node to run next, output nodes and their direct feeders first."""
        ready = [node_id for node_id in self.pending if self.block_count[node_id] == 0]
        if not ready:
            raise DependencyCycleError("Dependency cycle detected")
        return self._ux_friendly_pick(ready)

    def _ux_friendly_pick(self, ready: list[str]) -> str:
        for node_id in ready:
            if self.is_output(node_id):
                return node_id
        for node_id in ready:
            if any(self.is_output(blocked) for blocked in self.blocking[node_id]):
                return node_id
        for node_id in ready:
            if any(self.is_output(second) for blocked in self.blocking[node_id] for second in self.blocking[blocked]):
                return node_id
        return ready[0]

    def complete(self, node_id: str) -> None:
        """Mark a node as done, unblocking the nodes that wait for it."""
        del self.pending[node_id]
        for blocked in self.blocking.pop(node_id):
            self.block_count[blocked] -= 1
