"""The seed's way: a FastAPI router -> ProjectService -> repositories over Motor, with Pydantic responses."""

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase
from pydantic import BaseModel, Field, PlainSerializer

IsoDatetime = Annotated[datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]
Document = dict[str, Any]
SCENE_ORDER = [("order", 1), ("alternate_number", 1), ("_id", 1)]
CLIP_ORDER = [("timeline_position", 1), ("alternate_number", 1), ("_id", 1)]


# DTOs (fields in the product's order, so the JSON reads the same)
class ProjectResponse(BaseModel):
    id: str
    name: str
    description: str | None
    music_file: str | None
    created_at: IsoDatetime
    updated_at: IsoDatetime
    version: int = 1
    music: dict[str, Any] | None = None  # the song's facts (duration, format), as stored
    aspect_ratio: str = "16:9"


class GeneratedContentResponse(BaseModel):
    id: str
    kind: str
    url: str
    created_at: IsoDatetime
    model: str | None = None
    seed: int | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    server_id: str | None = None
    path: str | None = None
    selected: bool = False


class ClipResponse(BaseModel):
    id: str
    scene_id: str
    project_id: str
    name: str
    timeline_position: float
    length: float
    created_at: IsoDatetime
    updated_at: IsoDatetime
    lyrics: str | None = None
    image_prompt: str = ""
    video_prompt: str = ""
    character_id: str | None = None
    parent_clip_id: str | None = None
    alternate_number: int = 0
    generated_images: list[GeneratedContentResponse] = Field(default_factory=list)
    generated_videos: list[GeneratedContentResponse] = Field(default_factory=list)
    version: int = 1
    is_alternate: bool = False


class SceneWithClipsResponse(BaseModel):
    id: str
    project_id: str
    name: str
    description: str | None
    order: int
    created_at: IsoDatetime
    updated_at: IsoDatetime
    parent_scene_id: str | None = None
    alternate_number: int = 0
    version: int = 1
    is_alternate: bool = False
    clips: list[ClipResponse] = Field(default_factory=list)


class ProjectWithScenesResponse(ProjectResponse):
    board_version: int = 0  # the project document's count plus its board_versions counters
    scenes: list[SceneWithClipsResponse] = Field(default_factory=list)


# Repositories
class BaseRepository:
    """Generic async CRUD over one Motor collection."""

    collection_name = ""

    def __init__(self, db: AsyncIOMotorDatabase[Document]) -> None:
        self.collection = db[self.collection_name]

    async def find_by_id(self, id: str) -> Document | None:
        document = await self.collection.find_one({"_id": id})
        return self._to_dict(document) if document else None

    async def list(self, filter: Document | None = None, skip: int = 0, limit: int = 100,
                   sort: list[tuple[str, int]] | None = None) -> list[Document]:
        cursor = self.collection.find(filter or {}).skip(skip).limit(limit)
        if sort:
            cursor = cursor.sort(sort)
        return [self._to_dict(document) async for document in cursor]

    @staticmethod
    def _to_dict(document: Document) -> Document:
        document["id"] = str(document.pop("_id"))
        return document


class ProjectRepository(BaseRepository):
    collection_name = "projects"


class SceneRepository(BaseRepository):
    collection_name = "scenes"

    async def list_by_project(self, project_id: str) -> list[Document]:
        return await self.list({"project_id": project_id}, limit=0, sort=SCENE_ORDER)


class ClipRepository(BaseRepository):
    collection_name = "clips"

    async def list_by_scene(self, scene_id: str) -> list[Document]:
        return await self.list({"scene_id": scene_id}, limit=0, sort=CLIP_ORDER)


# Service
class ProjectService:
    """Projects and their scene hierarchy."""

    def __init__(self, db: AsyncIOMotorDatabase[Document]) -> None:
        self.projects = ProjectRepository(db)
        self.scenes = SceneRepository(db)
        self.clips = ClipRepository(db)
        self.board_counters = db["board_versions"]

    async def get_project_with_scenes(self, project_id: str) -> Document | None:
        project = await self.projects.find_by_id(project_id)
        if project is None:
            return None
        counters = [counter async for counter in self.board_counters.find({"project_id": project_id})]
        project["board_version"] = project.get("board_version", 0) + sum(counter["n"] for counter in counters)
        scenes = await self.scenes.list_by_project(project_id)
        for scene in scenes:
            scene["is_alternate"] = scene.get("parent_scene_id") is not None
            scene["clips"] = await self.clips.list_by_scene(scene["id"])
            for clip in scene["clips"]:
                clip["is_alternate"] = clip.get("parent_clip_id") is not None
        project["scenes"] = scenes
        return project


# Router and dependencies
router = APIRouter(prefix="/api/v1/projects", tags=["projects"])


def get_database(request: Request) -> AsyncIOMotorDatabase[Document]:
    database: AsyncIOMotorDatabase[Document] = request.app.state.db
    return database


def get_project_service(db: AsyncIOMotorDatabase[Document] = Depends(get_database)) -> ProjectService:
    return ProjectService(db)


@router.get("/{project_id}/with-scenes", response_model=ProjectWithScenesResponse)
async def get_project_with_scenes(project_id: str,
                                  service: ProjectService = Depends(get_project_service)) -> Document:
    project = await service.get_project_with_scenes(project_id)
    if project is None:
        raise HTTPException(status_code=404, detail=f"Project with id '{project_id}' not found")
    return project


def create_app(mongo_url: str, db_name: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client: AsyncIOMotorClient[Document] = AsyncIOMotorClient(mongo_url, tz_aware=True)
        app.state.db = client[db_name]
        yield
        client.close()

    app = FastAPI(title="StoryCanvas (seed-style peer)", lifespan=lifespan)
    app.include_router(router)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(args.mongo_url, args.db), host="127.0.0.1", port=args.port, access_log=False)


if __name__ == "__main__":
    main()
