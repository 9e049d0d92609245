"""Queue switches and the dispatch lease, shared by every API instance through Mongo."""

from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import define
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

SETTINGS_ID = "queue"
LEASE_ID = "dispatcher"


@define
class MongoQueueSettings:
    database: AsyncDatabase[dict[str, Any]]

    async def _document(self) -> dict[str, Any]:
        return await self.database["queue_state"].find_one({"_id": SETTINGS_ID}) or {}

    async def paused(self) -> bool:
        return bool((await self._document()).get("paused", False))

    async def set_paused(self, paused: bool) -> None:
        await self.database["queue_state"].update_one({"_id": SETTINGS_ID}, {"$set": {"paused": paused}}, upsert=True)

    async def paused_servers(self) -> frozenset[str]:
        return frozenset((await self._document()).get("paused_servers", []))

    async def set_server_paused(self, server_id: str, paused: bool) -> None:
        change = {"$addToSet" if paused else "$pull": {"paused_servers": server_id}}
        await self.database["queue_state"].update_one({"_id": SETTINGS_ID}, change, upsert=True)


@define
class MongoDispatchLease:
    """A lease document: taken when free or expired, extended by its holder."""

    database: AsyncDatabase[dict[str, Any]]

    async def hold(self, owner: str, *, seconds: float) -> bool:
        now = datetime.now(UTC)
        takeable = {"_id": LEASE_ID, "$or": [{"owner": owner}, {"expires_at": {"$lt": now}}, {"owner": None}]}
        update = {"$set": {"owner": owner, "expires_at": now + timedelta(seconds=seconds)}}
        try:
            await self.database["locks"].update_one(takeable, update, upsert=True)
        except DuplicateKeyError:
            return False  # the document exists and another owner holds it
        document = await self.database["locks"].find_one({"_id": LEASE_ID})
        return document is not None and document.get("owner") == owner

    async def release(self, owner: str) -> None:
        await self.database["locks"].update_one({"_id": LEASE_ID, "owner": owner}, {"$set": {"owner": None}})
