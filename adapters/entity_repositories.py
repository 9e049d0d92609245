"""The repository ports with named finders, written once over `Rows` (the fake's dicts or a Mongo collection)."""

from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar, Generic, TypeVar

from attrs import define

from adapters.where_rows import Rows, WhereListing
from domain.character import Character
from domain.clip import Clip
from domain.comfyui_server import ComfyUIServer
from domain.project import Project
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow
from domain.video_provider import VideoProvider

T = TypeVar("T")
BY_NAME = ("name",)
ON_TIMELINE = ("timeline_position", "alternate_number")


@define
class Entities(Generic[T]):
    """The writes every repository port has, handed to its rows."""

    rows: Rows[T]

    async def get(self, entity_id: str) -> T | None:
        return await self.rows.get(entity_id)

    async def add(self, entity: T) -> None:
        await self.rows.add(entity)

    async def add_all(self, entities: Sequence[T]) -> None:
        await self.rows.add_all(entities)

    async def update(self, entity: T) -> T:
        return await self.rows.update(entity)

    async def update_all(self, entities: Sequence[T]) -> list[T]:
        return await self.rows.update_all(entities)

    async def delete(self, entity_id: str) -> bool:
        return await self.rows.delete(entity_id)

    async def delete_all(self, entity_ids: Sequence[str]) -> int:
        return await self.rows.delete_where({"id": list(entity_ids)}) if entity_ids else 0

    def _listing(self, where: dict[str, Any], order_by: Sequence[str]) -> WhereListing[T]:
        return WhereListing(partial(self.rows.find, where, order_by=order_by), partial(self.rows.count, where))


def _scope(project_id: str | None) -> dict[str, Any]:
    return {} if project_id is None else {"project_id": project_id}


class OfProjects(Entities[T]):
    """Entities that belong to a project, listed in `ORDER`."""

    ORDER: ClassVar[tuple[str, ...]] = BY_NAME

    async def of_project(self, project_id: str) -> list[T]:
        return await self.rows.find({"project_id": project_id}, order_by=self.ORDER)

    async def delete_of_project(self, project_id: str) -> int:
        return await self.rows.delete_where({"project_id": project_id})


class Library(OfProjects[T]):
    """Characters or templates: global (no project) or a project's, by name."""

    def listed(self, project_id: str | None = None) -> WhereListing[T]:
        return self._listing(_scope(project_id), BY_NAME)


class Projects(Entities[Project]):
    def listed(self) -> WhereListing[Project]:
        return self._listing({}, ("-created_at",))


class Scenes(OfProjects[Scene]):
    ORDER = ("order", "alternate_number")

    async def alternates_of(self, parent_id: str) -> list[Scene]:
        return await self.rows.find({"parent_scene_id": parent_id}, order_by=("alternate_number",))


class Clips(OfProjects[Clip]):
    ORDER = ON_TIMELINE

    async def of_scene(self, scene_id: str) -> list[Clip]:
        return await self.rows.find({"scene_id": scene_id}, order_by=ON_TIMELINE)

    async def of_scenes(self, scene_ids: Sequence[str]) -> list[Clip]:
        return await self.rows.find({"scene_id": list(scene_ids)}, order_by=ON_TIMELINE)

    async def main_of_scene(self, scene_id: str) -> list[Clip]:
        return await self.rows.find({"scene_id": scene_id, "alternate_number": 0}, order_by=ON_TIMELINE)

    async def alternates_of(self, parent_id: str) -> list[Clip]:
        return await self.rows.find({"parent_clip_id": parent_id}, order_by=ON_TIMELINE)

    async def using_character(self, character_id: str) -> list[Clip]:
        return await self.rows.find({"character_id": character_id}, order_by=ON_TIMELINE)

    async def delete_of_scenes(self, scene_ids: Sequence[str]) -> int:
        return await self.rows.delete_where({"scene_id": list(scene_ids)}) if scene_ids else 0


class Characters(Library[Character]):
    async def all(self) -> list[Character]:
        return await self.rows.find({}, order_by=BY_NAME)


class Templates(Library[Template]):
    pass


class ComfyUIServers(Entities[ComfyUIServer]):
    async def all(self) -> list[ComfyUIServer]:
        return await self.rows.find({}, order_by=BY_NAME)

    async def with_url(self, url: str) -> list[ComfyUIServer]:
        return await self.rows.find({"url": url}, order_by=BY_NAME)


class Workflows(Entities[UserWorkflow]):
    async def all(self) -> list[UserWorkflow]:
        return await self.rows.find({}, order_by=BY_NAME)

    def listed(self) -> WhereListing[UserWorkflow]:
        return self._listing({}, BY_NAME)


class VideoProviders(Entities[VideoProvider]):
    async def all(self) -> list[VideoProvider]:
        return await self.rows.find({}, order_by=("created_at",))
