"""What the Mongo unit of work adds for concurrency: aggregate guards, board versions, transient errors.

An aggregate's version lives in its root document beside the entity (`clips_version` in a scene's,
`scenes_version` in a project's): fields the repositories never write, so the entity's own `version` (what
clients send back) changes only when the entity itself does. A project's board version is counted beside it,
in adapters/mongo/board_versions.py.
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from attrs import define, field
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, PyMongoError

from adapters.mongo import board_versions
from application.errors import ConcurrentChange

TRANSIENT_LABELS = ("TransientTransactionError", "UnknownTransactionCommitResult")
WRITE_CONFLICT = 112
CLAIM_LEASE = timedelta(seconds=10)  # how long a crashed claimer can hold an aggregate (without transactions)
AGGREGATE_VERSION = {"scenes": "clips_version", "projects": "scenes_version"}  # by the root's collection
CLAIM = "guard"
INTERNAL_FIELDS = frozenset({board_versions.LEGACY_FIELD, CLAIM, *AGGREGATE_VERSION.values()})


def is_transient(exc: BaseException) -> bool:
    """A driver error that says: this lost a race, the same work may succeed when run again."""
    if not isinstance(exc, PyMongoError):
        return False
    codes = {getattr(exc, "code", None)}
    if isinstance(exc, BulkWriteError):
        codes |= {error.get("code") for error in exc.details.get("writeErrors", [])}
    return WRITE_CONFLICT in codes or any(exc.has_error_label(label) for label in TRANSIENT_LABELS)


def lost_race(exc: BaseException) -> ConcurrentChange:
    return ConcurrentChange(f"a concurrent change to the same data came first ({exc.__class__.__name__})")


@define
class AggregateGuards:
    """In a transaction a guard is the version bump alone: a second writer of the root gets a write conflict.
    Without transactions the bump is conditional on nobody holding the aggregate, and holds it until the work
    ends, so nobody else checks its rules or writes its documents meanwhile."""

    database: AsyncDatabase[dict[str, Any]]
    transactions: bool
    _held: dict[tuple[str, str], str] = field(factory=dict, init=False)  # (collection, id) -> claim token
    _boards: set[str] = field(factory=set, init=False)
    _deleted: set[str] = field(factory=set, init=False)

    async def guard(self, collection: str, aggregate_id: str, session: AsyncClientSession | None) -> None:
        if (collection, aggregate_id) in self._held:
            return
        where: dict[str, Any] = {"_id": aggregate_id}
        update: dict[str, Any] = {"$inc": {AGGREGATE_VERSION[collection]: 1}}
        token = uuid4().hex
        if not self.transactions:
            now = datetime.now(UTC)
            where["$or"] = [{CLAIM: {"$exists": False}}, {f"{CLAIM}.until": {"$lt": now}}]
            update["$set"] = {CLAIM: {"token": token, "until": now + CLAIM_LEASE}}
        result = await self.database[collection].update_one(where, update, session=session)
        if result.matched_count != 1:
            raise ConcurrentChange(f"'{aggregate_id}' of {collection} is being changed by another request")
        self._held[collection, aggregate_id] = token

    def board_changed(self, project_id: str) -> None:
        self._boards.add(project_id)

    def board_deleted(self, project_id: str) -> None:
        self._deleted.add(project_id)

    async def bump_boards(self, session: AsyncClientSession | None) -> None:
        for project_id in sorted(self._boards - self._deleted):
            await board_versions.bump(self.database, project_id, session)
        self._boards.clear()

    async def release(self) -> None:
        """Without transactions: end the claims (after the writes, which landed as they happened)."""
        held, self._held = self._held, {}
        for (collection, aggregate_id), token in held.items():
            await self.database[collection].update_one({"_id": aggregate_id, f"{CLAIM}.token": token},
                                                       {"$unset": {CLAIM: ""}})
