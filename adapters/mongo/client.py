"""Opening the database: the given MongoDB, or the embedded SecantusDB when none is given."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from attrs import frozen
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from adapters.mongo.embedded_server import EmbeddedSecantus
from adapters.mongo.indexes import create_indexes


@frozen
class Database:
    handle: AsyncDatabase[dict[str, Any]]
    transactions: bool
    url: str

    async def ping(self) -> None:
        await self.handle.command("ping")


async def supports_transactions(client: AsyncMongoClient[dict[str, Any]]) -> bool:
    """Multi-document transactions need a replica set (SecantusDB reports itself as one) or mongos."""
    hello = await client.admin.command("hello")
    return "setName" in hello or hello.get("msg") == "isdbgrid"


@asynccontextmanager
async def open_database(*, mongo_url: str | None, db_name: str, data_dir: Path) -> AsyncIterator[Database]:
    embedded = None
    if mongo_url is None:
        embedded = EmbeddedSecantus(data_dir / "secantus")
        mongo_url = embedded.start()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True, serverSelectionTimeoutMS=10000)
    try:
        database = Database(client[db_name], await supports_transactions(client), mongo_url)
        await create_indexes(database.handle)
        yield database
    finally:
        await client.close()
        if embedded is not None:
            embedded.stop()
