"""Kept counts of the queue's jobs by project and status: a listing's total reads one small document instead of
counting jobs (SecantusDB reads every document to count: 10,000 jobs, ~900 ms for `/queue/status`).

`queue_counts` holds one document per project, and one over every project, each with its jobs' number by status.
Each write that changes jobs' statuses is followed by one `$inc` of the two documents it moves (a plain update,
never in a transaction: SecantusDB serialises its transactions' statements behind every commit, stalls a
transaction against plain writes on one collection, and a killed instance's open transaction would hold the
counts for a minute; plain writes on one collection take turns under its lock and never conflict).

An instance killed between a job's write and its count's (one round trip) leaves that count one off; so can a
write landing while an older database's counts are first built from its jobs. Dropping `queue_counts` has the
next total build them anew.
"""

import contextlib
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import define, field
from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Key = tuple[str, str]  # (project_id, status)
Moves = Mapping[Key, int]
EVERY_PROJECT = "\x00all"  # the counts over every project (no project id is empty or starts so)
BUILT = "\x00built"  # the marker: the counts are kept (or being built from the jobs: `building`)
COLLECTION = "queue_counts"
BUILD_STALE = timedelta(minutes=5)  # a build this old was left by a builder that died: the next one builds


def moves_between(before: Iterable[Key], after: Iterable[Key]) -> dict[Key, int]:
    """What changing jobs of the statuses `before` to the statuses `after` does to the counts."""
    change = Counter(after)
    change.subtract(Counter(before))
    return {key: n for key, n in change.items() if n}


def key_of(document: Mapping[str, Any]) -> Key:
    status = document["status"]
    return document["project_id"], getattr(status, "value", status)  # as stored (an unstructured job's is an enum)


@define
class JobCounts:
    database: AsyncDatabase[dict[str, Any]]
    _built: bool = field(default=False, init=False)

    @property
    def _counts(self):  # type: ignore[no-untyped-def]
        return self.database[COLLECTION]

    async def moved(self, moves: Moves) -> None:
        """Add what a write of jobs just did to the counts of its projects and of every project."""
        if moves:
            await self._counts.bulk_write(_increments(moves), ordered=False)

    async def total(self, project_id: str | None, statuses: Sequence[str] | None) -> int | None:
        """Jobs of `project_id` (None: of every project) in one of `statuses` (None: in any); None while the
        counts are being built (by another instance), so the caller counts the jobs."""
        if not await self.ready():
            return None
        document = await self._counts.find_one({"_id": _id(project_id or EVERY_PROJECT)})
        by_status: dict[str, int] = (document or {}).get("by_status", {})
        return sum(n for status, n in by_status.items() if statuses is None or status in statuses)

    async def ready(self) -> bool:
        """Build the counts from the jobs unless they are kept; False while another instance builds them.
        Called before the first jobs are added, it finds no job: a new database's counts start empty and exact."""
        if self._built:
            return True
        marker = await self._counts.find_one({"_id": BUILT})
        if marker is None and await self.database["queue_jobs"].find_one({}, {"_id": 1}) is None:
            marker = {"_id": BUILT}
            with contextlib.suppress(DuplicateKeyError):  # another instance marked them meanwhile
                await self._counts.insert_one(marker)
        if marker is not None and not marker.get("building"):
            self._built = True
            return True
        now = datetime.now(UTC)
        if marker is not None and marker["since"].replace(tzinfo=UTC) > now - BUILD_STALE:
            return False
        builder = uuid.uuid4().hex
        try:
            if marker is None:
                await self._counts.insert_one({"_id": BUILT, "building": builder, "since": now})
            elif (await self._counts.update_one(marker, {"$set": {"building": builder, "since": now}})
                  ).matched_count != 1:
                return False
        except DuplicateKeyError:
            return False  # another instance builds them
        await self._build(builder)
        self._built = True
        return True

    async def _build(self, builder: str) -> None:
        """The counts from the jobs, onto what the writes since the build began added."""
        await self._counts.delete_many({"_id": {"$ne": BUILT}})
        grouped = await (await self.database["queue_jobs"].aggregate(
            [{"$group": {"_id": {"project_id": "$project_id", "status": "$status"}, "n": {"$sum": 1}}}])).to_list()
        await self.moved({key_of(group["_id"]): group["n"] for group in grouped})
        await self._counts.update_one({"_id": BUILT, "building": builder}, {"$unset": {"building": "", "since": ""}})


def _id(scope: str) -> str:
    return f"jobs of {scope}"


def _increments(moves: Moves) -> list[UpdateOne]:
    by_scope: dict[str, dict[str, int]] = {}
    for (project, status), n in moves.items():
        for scope in (project, EVERY_PROJECT):
            changes = by_scope.setdefault(scope, {})
            changes[f"by_status.{status}"] = changes.get(f"by_status.{status}", 0) + n
    return [UpdateOne({"_id": _id(scope)}, {"$inc": changes}, upsert=True) for scope, changes in by_scope.items()]
