"""The model files a server offers, read live from its node catalog (and kept as its observation)."""

from attrs import define

from application.lookups import require
from application.ports.generation_backend import GenerationBackend
from application.ports.server_observations import ServerObservations
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ModelCatalog


@define
class GetServerModels:
    uow: UnitOfWork
    backend: GenerationBackend
    observations: ServerObservations

    async def __call__(self, server_id: str) -> ModelCatalog:
        async with self.uow.reading():
            server = await require(self.uow.comfyui_servers, server_id, "ComfyUI server")
        catalog = await self.backend.models(server.url)
        await self.observations.record_models(server.id, server.url, catalog)
        return catalog
