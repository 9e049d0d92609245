"""Readiness of the database: a ping round trip."""

from attrs import frozen

from adapters.mongo.client import Database


@frozen
class DatabaseProbe:
    database: Database
    name: str = "database"

    async def check(self) -> None:
        await self.database.ping()
