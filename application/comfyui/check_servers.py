"""Probe every registered server at once and keep what was found (the list view and the periodic check).

Only observations are written: a server's configuration and its `version` are left alone.
"""

import asyncio

from attrs import define

from application.comfyui.server_checks import ServerChecker
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer


@define
class CheckServers:
    uow: UnitOfWork
    checker: ServerChecker

    async def __call__(self, *, models: bool = False) -> list[ComfyUIServer]:
        async with self.uow.reading():
            servers = await self.uow.comfyui_servers.all()
        found = await asyncio.gather(*(self.checker.check(server.url, models=models) for server in servers))
        for server, findings in zip(servers, found, strict=True):
            await self.checker.record(server.id, server.url, findings)
        return [server.checked(f.health, f.models) for server, f in zip(servers, found, strict=True)]
