"""Reads of registered servers that guard no invariant."""

from attrs import define

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer


@define
class GetServer:
    uow: UnitOfWork

    async def __call__(self, server_id: str) -> ComfyUIServer:
        async with self.uow.reading():
            return await require(self.uow.comfyui_servers, server_id, "ComfyUI server")
