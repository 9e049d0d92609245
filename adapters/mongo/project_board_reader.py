"""The whole board of a project in one aggregation: the project, its scenes and its clips."""

from collections import defaultdict
from typing import Any

from attrs import define
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.database import AsyncDatabase

from adapters.mongo import board_versions
from adapters.mongo.converter import from_documents
from application.ports.project_board_reader import ProjectBoard, SceneWithClips
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene


def board_pipeline(project_id: str) -> list[dict[str, Any]]:
    """The project with all its scenes and clips, unsorted: sorting here costs the server more than us."""
    return [
        {"$match": {"_id": project_id}},
        {"$lookup": {"from": "scenes", "localField": "_id", "foreignField": "project_id", "as": "scenes"}},
        {"$lookup": {"from": "clips", "localField": "_id", "foreignField": "project_id", "as": "clips"}},
    ]


def scene_order(document: dict[str, Any]) -> tuple[Any, ...]:
    return document["order"], document["alternate_number"], document["_id"]


def clip_order(document: dict[str, Any]) -> tuple[Any, ...]:
    return document["timeline_position"], document["alternate_number"], document["_id"]


@define
class MongoProjectBoardReader:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter

    async def board(self, project_id: str, *, version: int | None = None) -> ProjectBoard | None:
        if version is None:
            version = await self.board_version(project_id)  # before the board: the board is as of it or newer
        cursor = await self.database["projects"].aggregate(board_pipeline(project_id))
        documents = await cursor.to_list()
        if version is None or not documents:
            return None
        document = documents[0]
        clips_by_scene: dict[str, list[Clip]] = defaultdict(list)
        for clip in from_documents(self.converter, sorted(document.pop("clips"), key=clip_order), Clip):
            clips_by_scene[clip.scene_id].append(clip)
        scenes = from_documents(self.converter, sorted(document.pop("scenes"), key=scene_order), Scene)
        return ProjectBoard(
            project=from_documents(self.converter, [document], Project)[0],
            scenes=tuple(SceneWithClips(scene, tuple(clips_by_scene[scene.id])) for scene in scenes),
            version=version,
        )

    async def board_version(self, project_id: str) -> int | None:
        return await board_versions.board_version(self.database, project_id)
