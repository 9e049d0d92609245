"""Job endings read from `queue_jobs`: final jobs whose `announced` flag is not yet set."""

from collections.abc import Sequence
from typing import Any

from attrs import define
from cattrs.preconf.bson import BsonConverter
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from adapters.mongo.converter import from_documents
from domain.queue_job import JobStatus, QueueJob

FINAL = [JobStatus.COMPLETED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value]


@define
class MongoJobEndings:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter

    async def unannounced(self, *, limit: int) -> list[QueueJob]:
        documents = await self.database["queue_jobs"].find(
            {"status": {"$in": FINAL}, "announced": {"$ne": True}},
            sort=[("completed_at", ASCENDING), ("_id", ASCENDING)], limit=limit).to_list()
        return from_documents(self.converter, documents, QueueJob)

    async def mark_announced(self, job: QueueJob) -> None:
        await self.database["queue_jobs"].update_one(
            {"_id": job.id, "status": {"$in": FINAL}, "completed_at": job.completed_at},
            {"$set": {"announced": True}})

    async def of_batch(self, batch_id: str) -> Sequence[QueueJob]:
        documents = await self.database["queue_jobs"].find({"batch_id": batch_id}).to_list()
        return from_documents(self.converter, documents, QueueJob)
