"""The whole board of a project in one aggregation: the project, its scenes and its clips."""

from collections import defaultdict
from typing import Any

from attrs import define
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.database import AsyncDatabase

from application.ports.project_board_reader import ProjectBoard, SceneWithClips
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene


def board_pipeline(project_id: str) -> list[dict[str, Any]]:
    return [
        {"$match": {"_id": project_id}},
        {"$lookup": {"from": "scenes", "localField": "_id", "foreignField": "project_id", "as": "scenes",
                     "pipeline": [{"$sort": {"order": 1, "alternate_number": 1, "_id": 1}}]}},
        {"$lookup": {"from": "clips", "localField": "_id", "foreignField": "project_id", "as": "clips",
                     "pipeline": [{"$sort": {"timeline_position": 1, "alternate_number": 1, "_id": 1}}]}},
    ]


@define
class MongoProjectBoardReader:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter

    async def board(self, project_id: str) -> ProjectBoard | None:
        cursor = await self.database["projects"].aggregate(board_pipeline(project_id))
        documents = await cursor.to_list()
        if not documents:
            return None
        document = documents[0]
        clips_by_scene: dict[str, list[Clip]] = defaultdict(list)
        for clip in self.converter.structure(document.pop("clips"), list[Clip]):
            clips_by_scene[clip.scene_id].append(clip)
        scenes = self.converter.structure(document.pop("scenes"), list[Scene])
        return ProjectBoard(
            project=self.converter.structure(document, Project),
            scenes=tuple(SceneWithClips(scene, tuple(clips_by_scene[scene.id])) for scene in scenes),
        )
