"""Probe every registered server at once and store what was found (the list view and the periodic check)."""

import asyncio

from attrs import define, evolve

from application.comfyui.server_checks import checked
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer


@define
class CheckServers:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock

    async def __call__(self, *, models: bool = False) -> list[ComfyUIServer]:
        async with self.uow:
            servers = await self.uow.comfyui_servers.find({}, order_by=("name", "id"))
        probed = await asyncio.gather(*(checked(s, self.backend, self.clock, models=models) for s in servers))
        async with self.uow:
            stored = [await self._store(server) for server in probed]
            await self.uow.commit()
        return stored

    async def _store(self, probed: ComfyUIServer) -> ComfyUIServer:
        """Write the new health onto the stored server, unless it was edited or deleted meanwhile."""
        current = await self.uow.comfyui_servers.get(probed.id)
        if current is None or current.version != probed.version:
            return probed
        return await self.uow.comfyui_servers.update(evolve(current, health=probed.health, models=probed.models))
