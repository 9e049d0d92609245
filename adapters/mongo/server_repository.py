"""ComfyUI servers: the configuration in `comfyui_servers`, each read with its last observation attached."""

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import define

from adapters.mongo.repository import MongoRepository
from adapters.mongo.server_observations import latest_observations, track
from domain.comfyui_server import ComfyUIServer


@define
class MongoServerRepository:
    """Writes store the configuration only (the document converter omits `health` and `models`); a server's
    observation document is opened with it, in the same unit of work (ServerObservations.forget deletes it)."""

    servers: MongoRepository[ComfyUIServer]

    async def _observed(self, servers: Sequence[ComfyUIServer]) -> list[ComfyUIServer]:
        if not servers:
            return []
        found = await latest_observations(self.servers.collection.database, self.servers.converter,
                                          [server.id for server in servers])
        return [server.observed(found.get((server.id, server.url))) for server in servers]

    async def get(self, entity_id: str) -> ComfyUIServer | None:
        server = await self.servers.get(entity_id)
        return None if server is None else (await self._observed([server]))[0]

    async def add(self, entity: ComfyUIServer) -> None:
        await self.add_all([entity])

    async def add_all(self, entities: Sequence[ComfyUIServer]) -> None:
        await self.servers.add_all(entities)
        if entities:
            await track(self.servers.collection.database, [server.id for server in entities], self.servers.session)

    async def update(self, entity: ComfyUIServer) -> ComfyUIServer:
        return (await self.update_all([entity]))[0]

    async def update_all(self, entities: Sequence[ComfyUIServer]) -> list[ComfyUIServer]:
        return await self._observed(await self.servers.update_all(entities))

    async def delete(self, entity_id: str) -> bool:
        return await self.servers.delete(entity_id)

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        return await self.servers.delete_where(where)

    async def find(self, where: Mapping[str, Any], *, order_by: Sequence[str] = (), skip: int = 0,
                   limit: int | None = None) -> list[ComfyUIServer]:
        return await self._observed(await self.servers.find(where, order_by=order_by, skip=skip, limit=limit))

    async def count(self, where: Mapping[str, Any]) -> int:
        return await self.servers.count(where)
