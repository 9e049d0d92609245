"""Register a ComfyUI server: its URL is validated and probed (health and model files) first."""

from attrs import define, frozen

from application.comfyui.server_checks import checked
from application.errors import Conflict, UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.id_generator import IdGenerator
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer, HealthStatus


@frozen
class RegisterServer:
    name: str
    url: str
    capacity: int = 1
    enabled: bool = True


@define
class RegisterServerHandler:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock
    ids: IdGenerator
    signal: QueueSignal

    async def __call__(self, cmd: RegisterServer) -> ComfyUIServer:
        now = self.clock.now()
        server = ComfyUIServer(id=self.ids.new_id(), name=cmd.name, url=cmd.url, capacity=cmd.capacity,
                               enabled=cmd.enabled, created_at=now, updated_at=now)
        server = await checked(server, self.backend, self.clock, models=True)
        if server.health.status is not HealthStatus.UP:
            raise UpstreamUnavailable(f"no ComfyUI answered at {server.url}: {server.health.last_error}")
        async with self.uow:
            if await self.uow.comfyui_servers.count({"url": server.url}):
                raise Conflict(f"a server with url {server.url} is already registered")
            await self.uow.comfyui_servers.add(server)
            await self.uow.commit()
        self.signal.settings_changed()
        return server
