"""Owners' waiting jobs counted in `queue_jobs` (index: owner, status)."""

from typing import Any

from attrs import define
from pymongo.asynchronous.database import AsyncDatabase

from domain.queue_job import JobStatus


@define
class MongoOwnerBacklog:
    database: AsyncDatabase[dict[str, Any]]

    async def waiting_of(self, owner: str) -> int:
        return await self.database["queue_jobs"].count_documents({"owner": owner, "status": JobStatus.PENDING.value})
