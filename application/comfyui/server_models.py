"""The model files a server offers, read live from its node catalog."""

from attrs import define, evolve

from application.lookups import require
from application.ports.generation_backend import GenerationBackend
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ModelCatalog


@define
class GetServerModels:
    uow: UnitOfWork
    backend: GenerationBackend

    async def __call__(self, server_id: str) -> ModelCatalog:
        async with self.uow:
            server = await require(self.uow.comfyui_servers, server_id, "ComfyUI server")
        catalog = await self.backend.models(server.url)
        async with self.uow:
            current = await self.uow.comfyui_servers.get(server_id)
            if current is not None and current.models != catalog:
                await self.uow.comfyui_servers.update(evolve(current, models=catalog))
                await self.uow.commit()
        return catalog
