"""The heads of the waiting queue on Mongo, read at a cost bounded by the window, not by the waiting jobs.

SecantusDB materialises every document an index lookup yields before it sorts and limits, so "the first
200 pending jobs of a project" read from the jobs alone costs in proportion to the waiting jobs. The waiting
jobs are therefore read lane by lane: a lane is (project, target, priority, checkpoint), listed in `queue_lanes`
with a lower bound (`head`) and an upper bound (`tail`) of its pending jobs' `created_at`, and a lane's head is
read in `created_at` ranges from `head` (index: status, project_id, target, priority, checkpoint, created_at),
each range as
wide as the lane's last reads say holds about a window, until the window is full. Every write that makes a job
pending (queueing, a retry, a new priority) widens its lane's bounds after the job is written ($min/$max with
a fresh `token`); a read narrows `head` (or drops a lane left empty) only if the token is unchanged since it
read the lane, so a job written meanwhile is never left outside its lane's bounds.

The window holds the head of each checkpoint's lanes: a server holding a checkpoint sees its jobs however
far back in the queue they wait (model affinity looks past the oldest jobs), at a cost of a window per
checkpoint with work.
"""

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from attrs import define, field
from bson import ObjectId
from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from domain.queue_job import JobStatus

PENDING = JobStatus.PENDING.value
BUILT = "_built_by_checkpoint"  # the marker: the lanes were built from the jobs once (on an older database)
LANE_FIELDS = ("project_id", "target", "priority", "checkpoint")
MIN_SPAN = timedelta(milliseconds=1)  # Mongo keeps milliseconds
MAX_SPAN = timedelta(days=365)
Document = dict[str, Any]


def lane_id(document: Document) -> str:
    return "\x1f".join(str(value if value is not None else "") for value in _lane_of(document))


def _lane_of(document: Document) -> tuple[Any, Any, Any, Any]:
    return document["project_id"], document.get("target"), document.get("priority", 0), document.get("checkpoint")


@define
class QueueLanes:
    database: AsyncDatabase[Document]
    _spans: dict[str, timedelta] = field(factory=dict)  # lane -> the created_at range that held about a window
    _built: bool = False

    @property
    def _lanes(self):  # type: ignore[no-untyped-def]
        return self.database["queue_lanes"]

    @property
    def _jobs(self):  # type: ignore[no-untyped-def]
        return self.database["queue_jobs"]

    async def widen(self, documents: Iterable[Document]) -> None:
        """After pending jobs were written: their lanes hold them (one upsert per lane)."""
        bounds: dict[str, list[Any]] = {}
        for document in documents:
            if document.get("status") != PENDING:
                continue
            at, key = document["created_at"], lane_id(document)
            low, high, _ = bounds.setdefault(key, [at, at, document])
            bounds[key][:2] = [min(low, at), max(high, at)]
        if not bounds:
            return
        for attempt in range(3):  # two upserts creating one lane at once: one fails, and updates when retried
            try:
                await self._upsert(bounds)
                return
            except BulkWriteError:
                if attempt == 2:
                    raise

    async def _upsert(self, bounds: dict[str, list[Any]]) -> None:
        await self._lanes.bulk_write([UpdateOne(
            {"_id": key},
            {"$min": {"head": low}, "$max": {"tail": high}, "$set": {"token": ObjectId()},
             "$setOnInsert": dict(zip(LANE_FIELDS, _lane_of(document), strict=True))},
            upsert=True) for key, (low, high, document) in bounds.items()], ordered=False)

    async def heads(self, now: datetime, *, per_project: int) -> list[Document]:
        """The due pending jobs' documents: the first `per_project` of every project, target and checkpoint
        (unsorted)."""
        await self._build_once()
        lanes = await self._lanes.find({"_id": {"$ne": BUILT}}).to_list()
        windows: dict[tuple[Any, Any, Any], list[Document]] = defaultdict(list)
        for lane in lanes:
            if "priority" in lane:  # not a marker
                windows[(lane["project_id"], lane.get("target"), lane.get("checkpoint"))].append(lane)
        batches = await asyncio.gather(*(self._window(sorted(group, key=lambda lane: -lane["priority"]), now,
                                                      per_project) for group in windows.values()))
        return [document for batch in batches for document in batch]

    async def _window(self, lanes: list[Document], now: datetime, wanted: int) -> list[Document]:
        taken: list[Document] = []
        for lane in lanes:  # the highest priority first
            if len(taken) >= wanted:
                break
            taken += await self._head(lane, now, wanted - len(taken))
        return taken

    async def _head(self, lane: Document, now: datetime, wanted: int) -> list[Document]:
        """The first `wanted` due jobs of a lane, by age; narrows the lane's bounds to what was found."""
        head, tail, key = lane.get("head"), lane.get("tail"), lane["_id"]
        if head is None or tail is None:
            return []
        span = self._spans.get(key) or max((tail - head) / 32, MIN_SPAN)
        due: list[Document] = []
        first: datetime | None = None  # the oldest pending job seen (due or not)
        start = head
        while start <= tail and len(due) < wanted:
            end = start + min(span, tail - start + MIN_SPAN)  # never past the lane's end
            found = await self._jobs.find({
                "status": PENDING, "project_id": lane["project_id"], "target": lane.get("target"),
                "priority": lane["priority"], "checkpoint": lane.get("checkpoint"),
                "created_at": {"$gte": start, "$lt": end}}).to_list()
            found.sort(key=lambda document: (document["created_at"], document["_id"]))
            if found and first is None:
                first = found[0]["created_at"]
            due += [d for d in found if d.get("not_before") is None or d["not_before"] <= now]
            span = self._next_span(span, len(found), wanted)
            start = end
        self._spans[key] = span
        await self._narrow(lane, first, finished=start > tail)
        return due[:wanted]

    @staticmethod
    def _next_span(span: timedelta, found: int, wanted: int) -> timedelta:
        if found > 2 * wanted:
            return max(span / 2, MIN_SPAN)
        if found < wanted // 2 + 1:
            return min(span * 2, MAX_SPAN)
        return span

    async def _narrow(self, lane: Document, first: datetime | None, *, finished: bool) -> None:
        """Move the lane's head to its oldest pending job; drop it if it holds none (unless written meanwhile)."""
        unchanged = {"_id": lane["_id"], "token": lane.get("token")}
        if first is None and finished:
            await self._lanes.delete_one(unchanged)
        elif first is not None and first > lane["head"]:
            await self._lanes.update_one(unchanged, {"$set": {"head": first}})

    async def _build_once(self) -> None:
        """Lanes for the pending jobs of a database written before lanes (or lanes by checkpoint) existed: one
        full read, ever. Lanes of the older kind (no checkpoint) go first; the jobs they held get lanes anew."""
        if self._built:
            return
        if await self._lanes.find_one({"_id": BUILT}) is None:
            await self._lanes.delete_many({"_id": {"$ne": BUILT}, "checkpoint": {"$exists": False}})
            documents = await self._jobs.find(
                {"status": PENDING}, projection={"project_id": 1, "target": 1, "priority": 1, "checkpoint": 1,
                                                 "created_at": 1, "status": 1}).to_list()
            await self.widen(documents)
            await self._lanes.update_one({"_id": BUILT}, {"$set": {"at": datetime.now().astimezone()}}, upsert=True)
        self._built = True
