"""Indexes created at start-up (idempotent)."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

INDEXES: dict[str, list[IndexModel]] = {
    "projects": [IndexModel([("created_at", DESCENDING), ("_id", ASCENDING)])],
    "board_versions": [IndexModel([("project_id", ASCENDING)])],  # adapters/mongo/board_versions.py
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
    "comfyui_server_status": [IndexModel([("server_id", ASCENDING)])],
    "workflows": [
        IndexModel([("name", ASCENDING)]),
        # sparse: documents written before names were unique have no key, and are checked by the use cases
        IndexModel([("name_key", ASCENDING)], unique=True, sparse=True, name="unique_name_key"),
    ],
    "queue_jobs": [
        # the waiting window, lane by lane (adapters/mongo/queue_lanes.py); also every read by status
        IndexModel([("status", ASCENDING), ("project_id", ASCENDING), ("target", ASCENDING), ("priority", DESCENDING),
                    ("checkpoint", ASCENDING), ("created_at", ASCENDING)]),
        IndexModel([("project_id", ASCENDING), ("status", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)]),  # GET /queue/jobs, newest first
        IndexModel([("batch_id", ASCENDING), ("status", ASCENDING)]),  # also: has a batch ended
        IndexModel([("clip_id", ASCENDING)]),
        IndexModel([("server_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("target", ASCENDING), ("status", ASCENDING)]),
    ],
    "video_providers": [IndexModel([("name", ASCENDING)])],
}

# issue 14: the webhooks, their outbox (claimed by due time) and the job endings not yet announced
INDEXES["webhooks"] = [IndexModel([("created_at", ASCENDING)])]
INDEXES["webhook_deliveries"] = [
    IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
    IndexModel([("webhook_id", ASCENDING), ("created_at", DESCENDING)]),
]
INDEXES["queue_jobs"].append(  # read one final status at a time (adapters/mongo/job_endings.py)
    IndexModel([("announced", ASCENDING), ("status", ASCENDING), ("completed_at", ASCENDING)]))
INDEXES["queue_jobs"].append(IndexModel([("owner", ASCENDING), ("status", ASCENDING)]))  # the per-owner cap
# issue 13: a project's latest animatic render (and its latest finished one)
INDEXES["render_jobs"] = [IndexModel([("project_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)])]


# replaced by the compound indexes above: dropped where an older version created them, so no write keeps them
INDEX_NOT_FOUND = 27
OBSOLETE: dict[str, tuple[str, ...]] = {"queue_jobs": (
    "batch_id_1", "status_1_priority_-1_created_at_1",
    "status_1_project_id_1_target_1_priority_-1_created_at_1",  # lanes before they were kept by checkpoint
)}


async def create_indexes(database: AsyncDatabase[dict[str, Any]]) -> None:
    for collection, models in INDEXES.items():
        await database[collection].create_indexes(models)
    for collection, names in OBSOLETE.items():
        for name in names:
            try:
                await database[collection].drop_index(name)
            except OperationFailure as exc:
                if exc.code != INDEX_NOT_FOUND:  # never made, or dropped by an instance starting beside this one
                    raise
