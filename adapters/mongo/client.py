"""Opening the database: the given MongoDB, or the embedded SecantusDB of DATA_DIR when none is given."""

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from attrs import frozen
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, PyMongoError

from adapters.mongo.data_dir_database import DataDirDatabase
from adapters.mongo.embedded_server import EmbeddedServerError
from adapters.mongo.indexes import create_indexes


class DatabaseUnavailable(RuntimeError):
    """The database could not be started or reached; the message says why in one line."""


@frozen
class Database:
    handle: AsyncDatabase[dict[str, Any]]
    transactions: bool

    async def ping(self) -> None:
        await self.handle.command("ping")

    async def close(self) -> None:
        await self.handle.client.close()


async def open_database(*, mongo_url: str | None, data_dir: Path, db_name: str) -> AsyncIterator[Database]:
    """The database of one process, closed afterwards: MONGO_URL's, or the SecantusDB serving DATA_DIR (the running
    one, or one started here and stopped afterwards)."""
    embedded = None
    if mongo_url is None:
        embedded = DataDirDatabase(data_dir)
        try:
            mongo_url = await asyncio.to_thread(embedded.open)
        except EmbeddedServerError as exc:
            raise DatabaseUnavailable(str(exc)) from exc
    try:
        database = await connect(mongo_url, db_name)
        try:
            yield database
        finally:
            await database.close()
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.close)


async def supports_transactions(client: AsyncMongoClient[dict[str, Any]]) -> bool:
    """Multi-document transactions need a replica set (SecantusDB reports itself as one) or mongos."""
    hello = await client.admin.command("hello")
    return "setName" in hello or hello.get("msg") == "isdbgrid"


async def connect(url: str, db_name: str) -> Database:
    """Connect, check the server answers, and create the indexes."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=10_000)
    try:
        database = Database(client[db_name], await supports_transactions(client))
        await create_indexes(database.handle)
    except BaseException as exc:
        await client.close()
        if isinstance(exc, PyMongoError):
            raise DatabaseUnavailable(_reason(url, exc)) from exc
        raise
    return database


def _reason(url: str, exc: PyMongoError) -> str:
    shown = re.sub(r"//[^/@]*@", "//", url)  # never print a password
    # pymongo appends its timeouts and the whole topology description; the first clause is the reason.
    first = re.split(r" \(configured timeouts|, Timeout: ", " ".join(str(exc).split()))[0]
    what = "not reachable" if isinstance(exc, ConnectionFailure) else "refused start-up"
    return f"database {what} at {shown}: {first}"
