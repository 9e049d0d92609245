"""The projects collection's rows: deleting a project also deletes its board-version counters."""

from collections.abc import Callable

from attrs import define, field

from adapters.mongo import board_versions
from adapters.mongo.repository import MongoRepository
from domain.project import Project


@define
class ProjectRows(MongoRepository[Project]):
    deleted: Callable[[str], None] = field(kw_only=True)  # told, so nothing counts a change of the deleted board

    async def delete(self, entity_id: str) -> bool:
        removed = await super().delete(entity_id)
        await board_versions.forget(self.collection.database, entity_id, self.session)
        self.deleted(entity_id)
        return removed
