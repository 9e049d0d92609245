"""A project's board version as a sharded counter: each change adds one to one of a few small documents, and
the version is their sum (with what the project document itself counted before the shards existed).

One counter document per project would make every two concurrent changes of a board, even of two different
clips, conflict inside their transactions; spread over SHARDS documents, few do. The sum only grows, and it
grows in the same transaction as the change, so a version read names the board as of that change or later.
"""

import asyncio
import random
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "board_versions"
SHARDS = 16  # concurrent editors of one board rarely meet on one; every board read sums them (SecantusDB: ~1 ms
# of database time for 16 documents, ~3 ms for 64). A database that had more keeps and sums them all: still exact
LEGACY_FIELD = "board_version"  # counted in the project document before the shards


async def bump(database: AsyncDatabase[dict[str, Any]], project_id: str, session: AsyncClientSession | None) -> None:
    shard = f"{project_id}:{random.randrange(SHARDS)}"
    await database[COLLECTION].update_one({"_id": shard}, {"$inc": {"n": 1}, "$setOnInsert": {"project_id": project_id}},
                                          upsert=True, session=session)


async def board_version(database: AsyncDatabase[dict[str, Any]], project_id: str) -> int | None:
    """The sum, or None for an unknown project: two indexed reads side by side (cheaper on the server than one
    $lookup). A change between them can only make the sum newer than the project read, never older."""
    project, shards = await asyncio.gather(
        database["projects"].find_one({"_id": project_id}, projection={LEGACY_FIELD: 1}),
        database[COLLECTION].find({"project_id": project_id}, projection={"n": 1}).to_list())
    if project is None:
        return None
    return int(project.get(LEGACY_FIELD, 0)) + sum(int(shard.get("n", 0)) for shard in shards)


async def forget(database: AsyncDatabase[dict[str, Any]], project_id: str, session: AsyncClientSession | None) -> None:
    """A deleted project's counters go with it."""
    await database[COLLECTION].delete_many({"project_id": project_id}, session=session)
