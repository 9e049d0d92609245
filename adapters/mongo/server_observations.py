"""Server observations in `comfyui_server_status`, one document per server, apart from its versioned configuration
(`comfyui_servers`) and written without a version or a session, so a probe never conflicts with an edit.

The document is born with the server, in the repository's unit of work (`track`), and is deleted by `forget`,
which comes after the server is deleted; probes only ever update it. So a probe that outlives its server matches
nothing and leaves nothing behind. Within it, what was found is kept per address, so a late probe of an address
the server has left cannot overwrite what was found at its new one.
"""

import contextlib
import hashlib
from collections.abc import Sequence
from typing import Any

from attrs import define
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from domain.comfyui_server import ModelCatalog, ServerHealth, ServerObservation

COLLECTION = "comfyui_server_status"
SERVERS = "comfyui_servers"
SEEN = "seen"  # address key -> {"url", "health", "models"}


def _address(url: str) -> str:
    """A field name for a URL (which may hold dots and dollars)."""
    return hashlib.sha256(url.encode()).hexdigest()[:24]


def _document(server_id: str) -> dict[str, Any]:
    return {"_id": server_id, "server_id": server_id, SEEN: {}}


async def track(database: AsyncDatabase[dict[str, Any]], server_ids: Sequence[str],
                session: AsyncClientSession | None) -> None:
    """Open the observation documents of newly added servers (in the unit of work that adds them)."""
    try:
        await database[COLLECTION].insert_many([_document(server_id) for server_id in server_ids], ordered=False,
                                               session=session)
    except BulkWriteError as exc:  # a probe of a server added without a transaction opened it first
        if any(error.get("code") != 11000 for error in exc.details.get("writeErrors", [])):
            raise


@define
class MongoServerObservations:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter

    async def record_health(self, server_id: str, url: str, health: ServerHealth) -> None:
        await self._set(server_id, url, {"health": self.converter.unstructure(health)})

    async def record_models(self, server_id: str, url: str, models: ModelCatalog) -> None:
        await self._set(server_id, url, {"models": self.converter.unstructure(models)})

    async def forget(self, server_id: str) -> None:
        # and what older versions kept, one document per address
        await self.database[COLLECTION].delete_many({"server_id": server_id})

    async def _set(self, server_id: str, url: str, fields: dict[str, Any]) -> None:
        address = f"{SEEN}.{_address(url)}"
        change = {"$set": {f"{address}.url": url, **{f"{address}.{name}": value for name, value in fields.items()}}}
        found = await self.database[COLLECTION].update_one({"_id": server_id}, change)
        if found.matched_count == 0 and await self._registered(server_id):
            await self._adopt(server_id, change)

    async def _adopt(self, server_id: str, change: dict[str, Any]) -> None:
        """Open the document of a server registered before documents were born with servers (or being added
        without a transaction); checked again after the write, so a server forgotten meanwhile keeps none."""
        with contextlib.suppress(DuplicateKeyError):
            await self.database[COLLECTION].insert_one(_document(server_id))
        await self.database[COLLECTION].update_one({"_id": server_id}, change)
        if not await self._registered(server_id):
            await self.database[COLLECTION].delete_one({"_id": server_id})

    async def _registered(self, server_id: str) -> bool:
        return await self.database[SERVERS].find_one({"_id": server_id}, projection={"_id": 1}) is not None


async def latest_observations(database: AsyncDatabase[dict[str, Any]], converter: BsonConverter,
                              server_ids: Sequence[str]) -> dict[tuple[str, str], ServerObservation]:
    """(server id, url) -> what was last found there, for each of `server_ids`."""
    documents = await database[COLLECTION].find({"_id": {"$in": list(server_ids)}}).to_list()
    return {(document["_id"], seen["url"]): converter.structure(
        {name: seen[name] for name in ("health", "models") if name in seen}, ServerObservation)
        for document in documents for seen in document.get(SEEN, {}).values()}
