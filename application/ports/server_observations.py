"""Port: what probes found at each ComfyUI server, stored apart from its versioned configuration.

Writes carry no version and never touch the server's configuration, so probing (the list view, the
periodic check) never makes a `PUT` conflict. Servers read through the unit of work come with their
last observation attached (see `ComfyUIServer.observed`).
"""

from typing import Protocol

from domain.comfyui_server import ModelCatalog, ServerHealth


class ServerObservations(Protocol):
    async def record_health(self, server_id: str, url: str, health: ServerHealth) -> None:
        """Keep `health`, found at `url`, as the server's latest."""
        ...

    async def record_models(self, server_id: str, url: str, models: ModelCatalog) -> None:
        """Keep `models`, listed by the server at `url`, as its latest."""
        ...

    async def forget(self, server_id: str) -> None: ...
