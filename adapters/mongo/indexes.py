"""Indexes created at start-up (idempotent)."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

INDEXES: dict[str, list[IndexModel]] = {
    "projects": [IndexModel([("created_at", DESCENDING), ("_id", ASCENDING)])],
    "scenes": [
        IndexModel([("project_id", ASCENDING), ("order", ASCENDING), ("alternate_number", ASCENDING)]),
        IndexModel([("parent_scene_id", ASCENDING)]),
    ],
    "clips": [
        IndexModel([("scene_id", ASCENDING), ("alternate_number", ASCENDING), ("timeline_position", ASCENDING)]),
        IndexModel([("project_id", ASCENDING)]),
        IndexModel([("parent_clip_id", ASCENDING)]),
        IndexModel([("character_id", ASCENDING)]),
    ],
    "characters": [IndexModel([("project_id", ASCENDING), ("name", ASCENDING)])],
    "templates": [IndexModel([("project_id", ASCENDING), ("name", ASCENDING)])],
    "comfyui_servers": [IndexModel([("url", ASCENDING)], unique=True)],
    "workflows": [IndexModel([("name", ASCENDING)])],
    "queue_jobs": [
        IndexModel([("status", ASCENDING), ("priority", DESCENDING), ("created_at", ASCENDING)]),
        IndexModel([("project_id", ASCENDING), ("status", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("batch_id", ASCENDING)]),
        IndexModel([("clip_id", ASCENDING)]),
        IndexModel([("server_id", ASCENDING), ("status", ASCENDING)]),
    ],
}


async def create_indexes(database: AsyncDatabase[dict[str, Any]]) -> None:
    for collection, models in INDEXES.items():
        await database[collection].create_indexes(models)
