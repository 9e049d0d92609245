"""The floor: a bare aiohttp app answering the board with one aggregation (its board version counters looked up
beside its scenes and clips) and plain dicts, no entities."""

import argparse
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from aiohttp import web
from pymongo import AsyncMongoClient

from adapters.mongo.aggregate_guards import INTERNAL_FIELDS
from adapters.mongo.board_versions import COLLECTION as BOARD_COUNTERS
from adapters.mongo.board_versions import LEGACY_FIELD as BOARD_VERSION
from adapters.mongo.project_board_reader import board_pipeline, clip_order, scene_order

DATABASE = web.AppKey("database", Any)
Document = dict[str, Any]
HIDDEN = INTERNAL_FIELDS - {BOARD_VERSION}  # concurrency bookkeeping the product does not show


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _renamed(document: Document) -> Document:
    """The document with `_id` as `id`, keeping the field order, without the concurrency bookkeeping."""
    return {("id" if key == "_id" else key): value for key, value in document.items() if key not in HIDDEN}


def board_json(document: Document) -> Document:
    """The board JSON from the aggregation's one document: scenes in order, each with its clips."""
    clips_by_scene: dict[str, list[Document]] = defaultdict(list)
    for clip in sorted(document.pop("clips"), key=clip_order):
        clips_by_scene[clip["scene_id"]].append({**_renamed(clip), "is_alternate": clip["parent_clip_id"] is not None})
    scenes = [
        {**_renamed(scene), "is_alternate": scene["parent_scene_id"] is not None, "clips": clips_by_scene[scene["_id"]]}
        for scene in sorted(document.pop("scenes"), key=scene_order)
    ]
    return {**_renamed(document), "scenes": scenes}


def with_board_version(document: Document) -> Document:
    counters = document.pop("board_counters")
    return {**document, BOARD_VERSION: document.get(BOARD_VERSION, 0) + sum(c["n"] for c in counters)}


async def project_with_scenes(request: web.Request) -> web.Response:
    pipeline = [*board_pipeline(request.match_info["project_id"]), {"$lookup": {
        "from": BOARD_COUNTERS, "localField": "_id", "foreignField": "project_id", "as": "board_counters"}}]
    documents = await (await request.app[DATABASE]["projects"].aggregate(pipeline)).to_list()
    if not documents:
        raise web.HTTPNotFound()
    body = json.dumps(board_json(with_board_version(documents[0])), default=_iso)
    return web.Response(text=body, content_type="application/json")


def create_app(mongo_url: str, db_name: str) -> web.Application:
    app = web.Application()
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongo_url, tz_aware=True)
    app[DATABASE] = client[db_name]
    app.on_cleanup.append(lambda _app: client.close())
    app.router.add_get("/api/v1/projects/{project_id}/with-scenes", project_with_scenes)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(create_app(args.mongo_url, args.db), host="127.0.0.1", port=args.port, access_log=None)


if __name__ == "__main__":
    main()
