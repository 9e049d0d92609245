"""Seed one board through the product's own HTTP API: a project of scenes, each with clips.

Scenes and clips are created in the reverse of their board order, so that storage order differs from
the order the endpoint must return and the JSON equality check also checks the sorting.
"""

import json
import urllib.request
from typing import Any

from bench.processes import Server

SLOT_SECONDS = 4.0  # longer than any clip, so clips never overlap


def _post(server: Server, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(server.url(path), data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, Any] = json.load(response)
        return result


def _clip(scene_id: str, scene: int, shot: int, *, clips: int) -> dict[str, Any]:
    return {
        "scene_id": scene_id, "name": f"Shot {scene + 1}.{shot + 1}", "length": 2.0 + shot % 4 * 0.5,
        "timeline_position": (clips - 1 - shot) * SLOT_SECONDS,
        "lyrics": f"line {shot + 1} of verse {scene + 1}, sung over the bridge at dusk",
        "image_prompt": f"wide cinematic shot {shot + 1} of scene {scene + 1}, golden hour, 35mm film grain",
        "video_prompt": f"slow dolly in, scene {scene + 1} shot {shot + 1}, soft wind in the trees",
    }


def seed_board(server: Server, *, scenes: int, clips: int) -> str:
    """Create the project, its scenes and their clips; return the project id."""
    project = _post(server, "/api/v1/projects", {"name": "Bench board", "description": "a music video"})
    for scene_number in range(scenes):
        body = {"project_id": project["id"], "name": f"Scene {scene_number + 1}", "order": 0}
        scene = _post(server, "/api/v1/scenes", body)
        for shot in range(clips):
            _post(server, "/api/v1/clips", _clip(scene["id"], scene_number, shot, clips=clips))
    return str(project["id"])
