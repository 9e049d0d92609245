"""Rename, resize, enable/disable or move a registered server (a new URL is probed first)."""

from attrs import asdict, define, evolve, frozen

from application.comfyui.server_checks import checked
from application.errors import Conflict, UpstreamUnavailable
from application.lookups import require
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.versions import ensure_version
from domain.comfyui_server import ComfyUIServer, HealthStatus


@frozen
class ServerChanges:
    """Fields left out (null) keep their value."""

    name: str | None = None
    url: str | None = None
    capacity: int | None = None
    enabled: bool | None = None
    version: int | None = None


@frozen
class UpdateServer:
    server_id: str
    changes: ServerChanges


@define
class UpdateServerHandler:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock
    signal: QueueSignal

    async def __call__(self, cmd: UpdateServer) -> ComfyUIServer:
        updates = {k: v for k, v in asdict(cmd.changes).items() if v is not None and k != "version"}
        async with self.uow:
            server = await require(self.uow.comfyui_servers, cmd.server_id, "ComfyUI server")
            ensure_version("ComfyUI server", server.version, cmd.changes.version)
            edited = evolve(server, **updates, updated_at=self.clock.now())
            if edited.url != server.url:
                edited = await self._probed(edited)
            server = await self.uow.comfyui_servers.update(edited)
            await self.uow.commit()
        self.signal.settings_changed()
        return server

    async def _probed(self, server: ComfyUIServer) -> ComfyUIServer:
        if await self.uow.comfyui_servers.count({"url": server.url}):
            raise Conflict(f"a server with url {server.url} is already registered")
        server = await checked(server, self.backend, self.clock, models=True)
        if server.health.status is not HealthStatus.UP:
            raise UpstreamUnavailable(f"no ComfyUI answered at {server.url}: {server.health.last_error}")
        return server
