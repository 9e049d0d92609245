"""Server observations in memory, and the servers repository that attaches them (as Mongo's does)."""

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import define, evolve

from adapters.fakes.repository import InMemoryRepository
from domain.comfyui_server import ComfyUIServer, ModelCatalog, ServerHealth, ServerObservation

Observations = dict[tuple[str, str], ServerObservation]  # (server id, url) -> what was found there


@define
class InMemoryServerObservations:
    rows: Observations
    servers: Mapping[str, Any]  # the servers table: what is observed of a server no longer in it is not kept

    async def record_health(self, server_id: str, url: str, health: ServerHealth) -> None:
        if server_id in self.servers:
            self.rows[server_id, url] = evolve(self.rows.get((server_id, url), ServerObservation()), health=health)

    async def record_models(self, server_id: str, url: str, models: ModelCatalog) -> None:
        if server_id in self.servers:
            self.rows[server_id, url] = evolve(self.rows.get((server_id, url), ServerObservation()), models=models)

    async def forget(self, server_id: str) -> None:
        for key in [key for key in self.rows if key[0] == server_id]:
            del self.rows[key]


def configuration(server: ComfyUIServer) -> ComfyUIServer:
    """What the servers table keeps: no observations."""
    return server.observed(None)


@define
class ObservedServerRepository:
    """ComfyUI servers as configured, each with its last observation; writes store the configuration only."""

    servers: InMemoryRepository[ComfyUIServer]
    observations: Observations

    def _observed(self, servers: Sequence[ComfyUIServer]) -> list[ComfyUIServer]:
        return [server.observed(self.observations.get((server.id, server.url))) for server in servers]

    async def get(self, entity_id: str) -> ComfyUIServer | None:
        server = await self.servers.get(entity_id)
        return None if server is None else self._observed([server])[0]

    async def add(self, entity: ComfyUIServer) -> None:
        await self.servers.add(configuration(entity))

    async def add_all(self, entities: Sequence[ComfyUIServer]) -> None:
        await self.servers.add_all([configuration(entity) for entity in entities])

    async def update(self, entity: ComfyUIServer) -> ComfyUIServer:
        return (await self.update_all([entity]))[0]

    async def update_all(self, entities: Sequence[ComfyUIServer]) -> list[ComfyUIServer]:
        return self._observed(await self.servers.update_all([configuration(entity) for entity in entities]))

    async def delete(self, entity_id: str) -> bool:
        return await self.servers.delete(entity_id)

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        return await self.servers.delete_where(where)

    async def find(self, where: Mapping[str, Any], *, order_by: Sequence[str] = (), skip: int = 0,
                   limit: int | None = None) -> list[ComfyUIServer]:
        return self._observed(await self.servers.find(where, order_by=order_by, skip=skip, limit=limit))

    async def count(self, where: Mapping[str, Any]) -> int:
        return await self.servers.count(where)
