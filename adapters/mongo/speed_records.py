"""Learned job times in `server_speeds`: one document per (server, model), written by the dispatching leader in
one bulk upsert at most once a housekeeping period; last writer wins (an estimate is advice, not a guarded fact)."""

from typing import Any

from attrs import define
from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from application.ports.speed_records import Estimates
from domain.speed_model import Estimate

COLLECTION = "server_speeds"


@define
class MongoSpeedRecords:
    database: AsyncDatabase[dict[str, Any]]

    async def load(self) -> dict[tuple[str, str], Estimate]:
        documents = await self.database[COLLECTION].find({}).to_list()
        return {(d["server_id"], d["model"]): Estimate(float(d["seconds"]), int(d["samples"])) for d in documents}

    async def save(self, estimates: Estimates) -> None:
        if not estimates:
            return
        await self.database[COLLECTION].bulk_write([
            UpdateOne({"_id": f"{server_id} {model}"},  # server ids hold no space
                      {"$set": {"server_id": server_id, "model": model, "seconds": estimate.seconds,
                                "samples": estimate.samples}}, upsert=True)
            for (server_id, model), estimate in estimates.items()], ordered=False)

    async def forget(self, server_id: str) -> int:
        return (await self.database[COLLECTION].delete_many({"server_id": server_id})).deleted_count
