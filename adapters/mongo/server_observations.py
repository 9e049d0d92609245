"""Server observations in `comfyui_server_status`, one document per server and address, written without a
version or a session: a probe never conflicts with an edit of the server's configuration (`comfyui_servers`),
and a late probe of an address the server has left cannot overwrite what was found at its new one."""

from collections.abc import Sequence
from typing import Any

from attrs import define
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from domain.comfyui_server import ModelCatalog, ServerHealth, ServerObservation

COLLECTION = "comfyui_server_status"


@define
class MongoServerObservations:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter

    async def record_health(self, server_id: str, url: str, health: ServerHealth) -> None:
        await self._set(server_id, url, {"health": self.converter.unstructure(health)})

    async def record_models(self, server_id: str, url: str, models: ModelCatalog) -> None:
        await self._set(server_id, url, {"models": self.converter.unstructure(models)})

    async def forget(self, server_id: str) -> None:
        await self.database[COLLECTION].delete_many({"server_id": server_id})

    async def _set(self, server_id: str, url: str, fields: dict[str, Any]) -> None:
        key = {"_id": f"{server_id} {url}"}  # server ids hold no space: one document per (server, url)
        change = {"$set": {"server_id": server_id, "url": url, **fields}}
        try:
            await self.database[COLLECTION].update_one(key, change, upsert=True)
        except DuplicateKeyError:  # a concurrent first write created it: now it exists
            await self.database[COLLECTION].update_one(key, change)


async def latest_observations(database: AsyncDatabase[dict[str, Any]], converter: BsonConverter,
                              server_ids: Sequence[str]) -> dict[tuple[str, str], ServerObservation]:
    """(server id, url) -> what was last found there, for each of `server_ids`."""
    documents = await database[COLLECTION].find({"server_id": {"$in": list(server_ids)}}).to_list()
    return {(document["server_id"], document["url"]): converter.structure(
        {name: document[name] for name in ("health", "models") if name in document}, ServerObservation)
        for document in documents}
