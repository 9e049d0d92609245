"""A repository of one entity type over one collection, writes guarded by `version`."""

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from attrs import define, evolve
from cattrs.preconf.bson import BsonConverter
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from adapters.mongo.converter import field_name, from_documents, query
from application.errors import ConcurrentChange, Conflict

T = TypeVar("T")
DUPLICATE_KEY = 11000


@define
class MongoRepository(Generic[T]):
    collection: AsyncCollection[dict[str, Any]]
    entity: type[T]
    converter: BsonConverter
    session: AsyncClientSession | None = None

    async def get(self, entity_id: str) -> T | None:
        document = await self.collection.find_one({"_id": entity_id}, session=self.session)
        return None if document is None else from_documents(self.converter, [document], self.entity)[0]

    async def add(self, entity: T) -> None:
        await self.add_all([entity])

    async def add_all(self, entities: Sequence[T]) -> None:
        if not entities:
            return
        documents = [self.converter.unstructure(entity) for entity in entities]
        try:
            await self.collection.insert_many(documents, session=self.session)
        except (DuplicateKeyError, BulkWriteError) as exc:
            raise Conflict(f"{self.entity.__name__} already exists") from exc

    async def update(self, entity: T) -> T:
        return (await self.update_all([entity]))[0]

    async def update_all(self, entities: Sequence[T]) -> list[T]:
        if not entities:
            return []
        saved = [evolve(entity, version=entity.version + 1) for entity in entities]  # type: ignore[attr-defined, misc]
        # $set, not a replacement: fields the entity does not know (a project's board version, a claim) stay.
        writes = [
            UpdateOne({"_id": old.id, "version": old.version}, {"$set": self._fields(new)})  # type: ignore[attr-defined]
            for old, new in zip(entities, saved, strict=True)
        ]
        try:
            result = await self.collection.bulk_write(writes, ordered=True, session=self.session)
        except BulkWriteError as exc:  # a unique index (a server's url, a workflow's name) refused the change
            if any(error.get("code") == DUPLICATE_KEY for error in exc.details.get("writeErrors", [])):
                raise Conflict(f"another {self.entity.__name__} already has this {_duplicated(exc)}") from exc
            raise
        if result.matched_count != len(writes):
            raise ConcurrentChange(f"{self.entity.__name__} was changed or deleted meanwhile; reload and retry")
        return saved

    def _fields(self, entity: T) -> dict[str, Any]:
        document: dict[str, Any] = self.converter.unstructure(entity)
        del document["_id"]
        return document

    async def delete(self, entity_id: str) -> bool:
        result = await self.collection.delete_one({"_id": entity_id}, session=self.session)
        return result.deleted_count == 1

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        result = await self.collection.delete_many(query(dict(where)), session=self.session)
        return result.deleted_count

    async def find(
        self, where: Mapping[str, Any], *, order_by: Sequence[str] = (), skip: int = 0, limit: int | None = None
    ) -> list[T]:
        sort = dict((field_name(key.lstrip("-")), DESCENDING if key.startswith("-") else ASCENDING)
                    for key in order_by)
        sort.setdefault("_id", ASCENDING)
        cursor = self.collection.find(query(dict(where)), sort=list(sort.items()), skip=skip,
                                      limit=limit or 0, session=self.session)
        return from_documents(self.converter, await cursor.to_list(), self.entity)

    async def count(self, where: Mapping[str, Any]) -> int:
        return await self.collection.count_documents(query(dict(where)), session=self.session)


def _duplicated(exc: BulkWriteError) -> str:
    patterns = [error.get("keyPattern") for error in exc.details.get("writeErrors", [])]
    return ", ".join(next((pattern for pattern in patterns if pattern), None) or ["unique value"])
