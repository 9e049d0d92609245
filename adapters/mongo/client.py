"""Opening the database: the given MongoDB, or the embedded SecantusDB when none is given."""

from collections.abc import Iterator
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

    async def ping(self) -> None:
        await self.handle.command("ping")

    async def close(self) -> None:
        await self.handle.client.close()


def database_url(*, mongo_url: str | None, data_dir: Path) -> Iterator[str]:
    """Yield `mongo_url`, or start SecantusDB under `data_dir`, yield its URL, and stop it afterwards."""
    if mongo_url is not None:
        yield mongo_url
        return
    embedded = EmbeddedSecantus(data_dir / "secantus")
    try:
        yield embedded.start()
    finally:
        embedded.stop()


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
    except BaseException:
        await client.close()
        raise
    return database
