"""The durable queue on Mongo: jobs in `queue_jobs`, their workflows in `queue_workflows`, atomic claims; the
waiting window is read lane by lane (`adapters/mongo/queue_lanes.py`), at a cost bounded by the window."""

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import Factory, define, evolve, field
from cattrs.preconf.bson import BsonConverter
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from adapters.job_finders import JobFinders
from adapters.mongo.change_feed import changed_documents
from adapters.mongo.converter import from_documents, query
from adapters.mongo.job_counts import JobCounts, key_of, moves_between
from adapters.mongo.queue_lanes import QueueLanes
from application.errors import Conflict
from domain.queue_job import JobStatus, QueueJob

BY_PRIORITY = [("priority", DESCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)]  # the queue's order
# looked in for a page before all jobs are: the newest first (a busy queue's page is in its last minute)
RECENT_WINDOWS = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=7))
CLAIMED_WORKFLOWS = 1000  # workflows of claimed jobs kept for their runners at most
COUNTED_FIELDS = frozenset({"project_id", "status"})  # a total over these reads the kept counts


@define
class MongoJobStore(JobFinders):  # the port's finders over find/count/delete_where
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter
    poll_interval: float = 0.5  # the changes() fallback when the server offers no change streams
    change_streams: bool = True  # False polls even where change streams exist (to test the fallback)
    lanes: QueueLanes = field(default=Factory(lambda self: QueueLanes(self.database), takes_self=True))
    counts: JobCounts = field(default=Factory(lambda self: JobCounts(self.database), takes_self=True))
    # the workflows of jobs claimed here, read beside the claim: the runner's next call wants it (one round trip
    # less between a slot freeing and its next prompt); a workflow never changes once stored
    _claimed_workflows: dict[str, dict[str, Any]] = field(factory=dict)

    @property
    def _jobs(self):  # type: ignore[no-untyped-def]
        return self.database["queue_jobs"]

    def _load(self, documents: list[dict[str, Any]]) -> list[QueueJob]:
        return from_documents(self.converter, documents, QueueJob)

    async def add_all(self, jobs: Sequence[QueueJob], workflows: Sequence[dict[str, Any]]) -> None:
        if not jobs:
            return
        await self.database["queue_workflows"].insert_many(
            [{"_id": job.id, "workflow": workflow} for job, workflow in zip(jobs, workflows, strict=True)])
        documents = [self.converter.unstructure(job) for job in jobs]
        await self.counts.ready()  # before the first jobs: the counts start empty and exact, never built
        await self._jobs.insert_many(documents)
        await asyncio.gather(self.lanes.widen(documents), self.counts.moved(moves_between([], map(key_of, documents))))

    async def get(self, job_id: str) -> QueueJob | None:
        document = await self._jobs.find_one({"_id": job_id})
        return None if document is None else self._load([document])[0]

    async def workflow(self, job_id: str) -> dict[str, Any]:
        if job_id in self._claimed_workflows:
            return self._claimed_workflows.pop(job_id)
        return await self._stored_workflow(job_id)

    async def _stored_workflow(self, job_id: str) -> dict[str, Any]:
        document = await self.database["queue_workflows"].find_one({"_id": job_id})
        return {} if document is None else document["workflow"]

    async def ready(self, now: datetime, *, per_project: int) -> list[QueueJob]:
        due_jobs = self._load(await self.lanes.heads(now, per_project=per_project))
        return sorted(due_jobs, key=lambda job: (-job.priority, job.created_at, job.id))  # all projects

    async def processing(self) -> list[QueueJob]:
        return self._load(await self._jobs.find({"status": JobStatus.PROCESSING.value}).to_list())

    async def claim(self, job: QueueJob, claimed: QueueJob) -> bool:
        document = self.converter.unstructure(evolve(claimed, version=job.version + 1))
        # update_one, not find_one_and_update: as atomic on the guard, and SecantusDB's findAndModify scans the
        # whole collection (~150 ms at 8,000 jobs) where an update finds the job by its _id
        result, workflow = await asyncio.gather(self._jobs.update_one(
            {"_id": job.id, "status": JobStatus.PENDING.value, "version": job.version},
            {"$set": {k: v for k, v in document.items() if k != "_id"}},
        ), self._stored_workflow(job.id))
        won = result.modified_count == 1
        if won:
            while len(self._claimed_workflows) >= CLAIMED_WORKFLOWS:  # runners that never asked (they crashed)
                del self._claimed_workflows[next(iter(self._claimed_workflows))]
            self._claimed_workflows[job.id] = workflow
            await self.counts.moved(moves_between([(job.project_id, JobStatus.PENDING.value)], [key_of(document)]))
        return won

    async def save(self, job: QueueJob) -> QueueJob:
        saved = evolve(job, version=job.version + 1)
        document = self.converter.unstructure(saved)
        guard = {"_id": job.id, "version": job.version}
        # the stored status, kept by the version guard until the replace: a change of it moves the counts (not
        # find_one_and_replace: SecantusDB's findAndModify scans the collection)
        before = await self._jobs.find_one(guard, {"project_id": 1, "status": 1})
        if before is None or (await self._jobs.replace_one(guard, document)).matched_count != 1:
            raise Conflict(f"job {job.id} was changed meanwhile; reload and retry")
        await asyncio.gather(self.lanes.widen([document]),  # pending again (a retry) or at a new priority
                             self.counts.moved(moves_between([key_of(before)], [key_of(document)])))
        return saved

    async def report_progress(self, job_id: str, *, owner: str, progress: float, now: datetime) -> None:
        await self._jobs.update_one({"_id": job_id, "lease_owner": owner, "status": JobStatus.PROCESSING.value},
                                    {"$set": {"progress": progress, "updated_at": now}})

    async def set_waiting_reason(self, job_id: str, reason: str | None, *, now: datetime) -> None:
        await self._jobs.update_one({"_id": job_id, "status": JobStatus.PENDING.value},
                                    {"$set": {"waiting_reason": reason, "updated_at": now}})

    async def renew_leases(self, job_ids: Sequence[str], *, owner: str, until: datetime) -> None:
        if job_ids:
            await self._jobs.update_many({"_id": {"$in": list(job_ids)}, "lease_owner": owner},
                                         {"$set": {"lease_expires_at": until}})

    async def find(self, where: Mapping[str, Any], *, skip: int = 0, limit: int | None = None) -> list[QueueJob]:
        """Newest first. A page is looked for among the recent jobs first: SecantusDB sorts and limits after
        reading every match (10,000 jobs: 240 ms for a page of 20), but reads a `created_at` range from its index;
        when a window holds the whole page, it holds the newest jobs."""
        if limit:
            for window in RECENT_WINDOWS:
                recent = {**query(dict(where)), "created_at": {"$gte": datetime.now(UTC) - window}}
                documents = await self._newest_first(recent, skip=0, limit=skip + limit)
                if len(documents) == skip + limit:
                    return self._load(documents[skip:])
        return self._load(await self._newest_first(query(dict(where)), skip=skip, limit=limit or 0))

    async def _newest_first(self, where: dict[str, Any], *, skip: int, limit: int) -> list[dict[str, Any]]:
        cursor = self._jobs.find(where, sort=[("created_at", DESCENDING), ("_id", DESCENDING)], skip=skip, limit=limit)
        return await cursor.to_list()

    async def count(self, where: Mapping[str, Any]) -> int:
        if set(where) <= COUNTED_FIELDS:  # the listings of a project, a status or the whole queue
            status = where.get("status")
            statuses = None if status is None else [status] if isinstance(status, str) else list(status)
            total = await self.counts.total(where.get("project_id"), statuses)
            if total is not None:
                return total
        return await self._jobs.count_documents(query(dict(where)))

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        found = await self._jobs.find(query(dict(where)), projection={"project_id": 1, "status": 1}).to_list()
        by_key: dict[tuple[str, str], list[str]] = {}
        for document in found:
            by_key.setdefault(key_of(document), []).append(document["_id"])
        deleted = {}  # by the status each was found in: one that changed since is no longer what was asked for
        for key, job_ids in by_key.items():
            deleted[key] = (await self._jobs.delete_many({"_id": {"$in": job_ids}, "status": key[1]})).deleted_count
        await self.counts.moved({key: -n for key, n in deleted.items() if n})
        found_ids = [document["_id"] for document in found]
        kept = {d["_id"] for d in await self._jobs.find({"_id": {"$in": found_ids}}, {"_id": 1}).to_list()
                } if found else set()
        await self.database["queue_workflows"].delete_many({"_id": {"$in": [i for i in found_ids if i not in kept]}})
        return sum(deleted.values())

    async def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[QueueJob]:
        """A change stream on the collection; polling `updated_at` where change streams are missing."""
        async for document in changed_documents(self._jobs, change_streams=self.change_streams,
                                                poll_interval=self.poll_interval, opened=opened):
            yield self._load([document])[0]
