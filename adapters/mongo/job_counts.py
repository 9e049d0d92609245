"""Kept counts of the queue's jobs by project and status: a listing's total reads a few small documents instead
of counting jobs (SecantusDB reads every document to count: 3,000 jobs, 90-150 ms a count, on each page).

Each write that changes jobs' statuses is followed by an insert of its *moves* (`queue_count_moves`: project,
status, +n or -n). Inserts never conflict, so concurrent claims never meet on a hot counter (one counter updated
in each claim's transaction made 8 concurrent claims try 4 times each), and the jobs' own writes stay outside
transactions: SecantusDB deadlocks a transaction against a plain write retrying on the same document, and a
killed instance's open transaction would hold its job for a minute. The moves are folded into `queue_counts`
(one document per project and status, and per status over every project) by whichever instance reads more than
FOLD_AT of them, in a transaction of the two small collections; a total is the folded counts plus the moves not
yet folded, read in one snapshot. The counts are built from the jobs once, on a database older than them.

An instance killed between a job's write and its move (one round trip) leaves that count one off; so can a
write landing as the counts are first built. Dropping `queue_counts` has the next instance to start build them
anew. Without transactions (a standalone server) a move is folded by whoever deletes it.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from attrs import define, field
from pymongo import UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError
from pymongo.read_concern import ReadConcern

from adapters.mongo.aggregate_guards import commit_transaction, is_transient, lost_race
from application.errors import ConcurrentChange

log = logging.getLogger(__name__)
T = TypeVar("T")
Key = tuple[str, str]  # (project_id, status)
Moves = Mapping[Key, int]
Session = AsyncClientSession | None
EVERY_PROJECT = "\x00all"  # the project of the counts over every project (no project id is empty or starts so)
BUILT = "\x00built"  # the marker: the counts were built from the jobs (or the database started with them)
FOLD_AT = 64  # moves read by a total beyond which it folds them
FOLD_BATCH = 1000
ATTEMPTS = 3  # of a transaction that met a concurrent one


def moves_between(before: Iterable[Key], after: Iterable[Key]) -> dict[Key, int]:
    """What changing jobs of the statuses `before` to the statuses `after` does to the counts."""
    change = Counter(after)
    change.subtract(Counter(before))
    return {key: n for key, n in change.items() if n}


def key_of(document: Mapping[str, Any]) -> Key:
    return document["project_id"], document["status"]


@define
class JobCounts:
    database: AsyncDatabase[dict[str, Any]]
    transactions: bool = True
    _built: bool = field(default=False, init=False)
    _folding: "asyncio.Task[None] | None" = field(default=None, init=False)

    @property
    def _counts(self):  # type: ignore[no-untyped-def]
        return self.database["queue_counts"]

    @property
    def _moves(self):  # type: ignore[no-untyped-def]
        return self.database["queue_count_moves"]

    async def moved(self, moves: Moves) -> None:
        """Record what a write of jobs just did to the counts."""
        if moves:
            await self._moves.insert_many([{"project_id": project, "status": status, "n": n}
                                           for (project, status), n in moves.items()])

    async def total(self, project_id: str | None, statuses: Sequence[str] | None) -> int | None:
        """Jobs of `project_id` (None: of every project) in one of `statuses` (None: in any); None while the
        counts cannot be read (another instance is building them), so the caller counts the jobs."""
        counted = {"project_id": project_id or EVERY_PROJECT}
        moved: dict[str, Any] = {} if project_id is None else {"project_id": project_id}
        if statuses is not None:
            counted["status"] = moved["status"] = {"$in": list(statuses)}

        async def read(session: Session) -> tuple[int, int]:
            counts = await self._counts.find(counted, {"n": 1}, session=session).to_list()
            moves = await self._moves.find(moved, {"n": 1}, session=session).to_list()
            return sum(d["n"] for d in counts) + sum(d["n"] for d in moves), len(moves)
        try:
            await self._build_once()
            total, unfolded = await self._in_transaction(read, snapshot=True)
        except ConcurrentChange:
            return None
        if unfolded > FOLD_AT and (self._folding is None or self._folding.done()):
            self._folding = asyncio.create_task(self._fold_aside(), name="fold job counts")
        return total

    async def _fold_aside(self) -> None:
        try:
            await self.fold()
        except (PyMongoError, ConcurrentChange) as exc:  # the moves stay; the next total that reads them folds them
            log.warning("folding the job counts failed: %s", exc)

    async def fold(self) -> None:
        """Fold the recorded moves into the counts (a fold beside another one retries on what is left)."""
        async def fold(session: Session) -> None:
            moves = await self._moves.find({}, limit=FOLD_BATCH, session=session).to_list()
            if not moves:
                return
            folded: Counter[Key] = Counter()
            for move in moves:
                folded[key_of(move)] += move["n"]
                folded[EVERY_PROJECT, move["status"]] += move["n"]
            await self._counts.bulk_write(_increments(folded), ordered=False, session=session)
            await self._moves.delete_many({"_id": {"$in": [move["_id"] for move in moves]}}, session=session)
        if self.transactions:
            await self._in_transaction(fold)
        else:
            await self._fold_one_by_one()

    async def _fold_one_by_one(self) -> None:
        """Without transactions: each move is folded by the folder that deleted it, so two folders never both do."""
        folded: Counter[Key] = Counter()
        for move in await self._moves.find({}, limit=FOLD_BATCH).to_list():
            if (await self._moves.delete_one({"_id": move["_id"]})).deleted_count:
                folded[key_of(move)] += move["n"]
                folded[EVERY_PROJECT, move["status"]] += move["n"]
        if folded:
            await self._counts.bulk_write(_increments(folded), ordered=False)

    async def _build_once(self) -> None:
        if self._built:
            return

        async def build(session: Session) -> None:
            if await self._counts.find_one({"_id": BUILT}, session=session) is not None:
                return
            grouped = await (await self.database["queue_jobs"].aggregate(
                [{"$group": {"_id": {"project_id": "$project_id", "status": "$status"}, "n": {"$sum": 1}}}],
                session=session)).to_list()
            counts: Counter[Key] = Counter()
            for group in grouped:
                counts[key_of(group["_id"])] += group["n"]
                counts[EVERY_PROJECT, group["_id"]["status"]] += group["n"]
            await self._moves.delete_many({}, session=session)  # what they moved is in the jobs just counted
            await self._counts.delete_many({}, session=session)
            await self._counts.insert_many([{"_id": BUILT}, *({"_id": _count_id(key), "project_id": key[0],
                                                               "status": key[1], "n": n}
                                                              for key, n in counts.items())], session=session)
        try:
            await self._in_transaction(build, attempts=1)
        except DuplicateKeyError:
            pass  # another instance built them meanwhile
        self._built = True

    async def _in_transaction(self, work: Callable[[Session], Awaitable[T]], *, snapshot: bool = False,
                              attempts: int = ATTEMPTS) -> T:
        """`work` in a transaction, run again on a transient error a few times, then a ConcurrentChange.

        Not the driver's `with_transaction`, which retries for two minutes: a count a killed instance's open fold
        wrote stays locked until the server reaps it (60 s), and a listing had better count its jobs than wait."""
        if not self.transactions:
            return await work(None)
        for attempt in range(1, attempts + 1):
            async with self.database.client.start_session() as session:
                await session.start_transaction(read_concern=ReadConcern("snapshot") if snapshot else None)
                try:
                    result = await work(session)
                    await commit_transaction(session)
                    return result
                except PyMongoError as exc:
                    if session.in_transaction:
                        await session.abort_transaction()
                    committed_maybe = exc.has_error_label("UnknownTransactionCommitResult")
                    if not is_transient(exc):
                        raise
                    if attempt == attempts or committed_maybe:
                        raise lost_race(exc) from exc
        raise AssertionError("unreachable")


def _increments(folded: Mapping[Key, int]) -> list[UpdateOne]:
    return [UpdateOne({"_id": _count_id(key)}, {"$inc": {"n": n}, "$setOnInsert": {"project_id": key[0], "status": key[1]}},
                      upsert=True) for key, n in folded.items()]


def _count_id(key: Key) -> str:
    return "\x1f".join(key)
