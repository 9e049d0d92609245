"""Per-prompt node progress: `progress_state`, `progress` and preview frames (comfy_execution/progress.py)."""

from typing import Any

from simulators.comfyui.execution.messenger import Messenger
from simulators.comfyui.execution.previews import (
    PREVIEW_IMAGE, PREVIEW_IMAGE_WITH_METADATA, preview_image, preview_with_metadata,
)


class ProgressRegistry:
    """Node states of one prompt; every change sends all non-pending nodes to the prompt's client."""

    def __init__(self, messenger: Messenger, prompt_id: str, client_id: str | None):
        self.messenger = messenger
        self.prompt_id = prompt_id
        self.client_id = client_id
        self.nodes: dict[str, dict[str, Any]] = {}

    def _entry(self, node_id: str) -> dict[str, Any]:
        return self.nodes.setdefault(node_id, {"state": "pending", "value": 0, "max": 1})

    def start(self, node_id: str) -> None:
        """A node begins: running, 0.0 of 1.0."""
        self._entry(node_id).update(state="running", value=0.0, max=1.0)
        self._send_state()

    def update(self, node_id: str, value: int, total: int, preview: bytes | None = None) -> None:
        """A sampler step, as main.hijack_progress sends it: progress_state, then `progress`, and the preview
        as a metadata frame (before `progress`) to clients that support it, else as a plain frame (after)."""
        self._entry(node_id).update(state="running", value=value, max=total)
        self._send_state()
        with_metadata = self.messenger.supports(self.client_id, "supports_preview_metadata")
        if preview is not None and with_metadata:
            payload = preview_with_metadata(preview, self._ids(node_id))
            self.messenger.send_sync(PREVIEW_IMAGE_WITH_METADATA, payload, self.client_id)
        progress = {"value": value, "max": total, "prompt_id": self.prompt_id, "node": node_id}
        self.messenger.send_sync("progress", progress, self.client_id)
        if preview is not None and not with_metadata:
            self.messenger.send_sync(PREVIEW_IMAGE, preview_image(preview), self.client_id)

    def finish(self, node_id: str) -> None:
        """A node is done (or was cached): its value becomes its max."""
        entry = self._entry(node_id)
        entry.update(state="finished", value=entry["max"])
        self._send_state()

    def _ids(self, node_id: str) -> dict[str, Any]:
        return {"node_id": node_id, "prompt_id": self.prompt_id, "display_node_id": node_id,
                "parent_node_id": None, "real_node_id": node_id}

    def _send_state(self) -> None:
        nodes = {node_id: {"value": state["value"], "max": state["max"], "state": state["state"],
                           **self._ids(node_id)}
                 for node_id, state in self.nodes.items() if state["state"] != "pending"}
        self.messenger.send_sync("progress_state", {"prompt_id": self.prompt_id, "nodes": nodes}, self.client_id)
