"""The route table: every API operation, in one list."""

from aiohttp import web

from entrypoints.http import characters, clips, comfyui, generation, health, projects, queue, scenes, templates
from entrypoints.http import exports, media, previews
from entrypoints.http.operation import Operation

OPERATIONS: list[Operation] = [
    *health.OPERATIONS,
    *projects.OPERATIONS,
    *scenes.OPERATIONS,
    *clips.OPERATIONS,
    *characters.OPERATIONS,
    *templates.OPERATIONS,
    *generation.OPERATIONS,
    *comfyui.OPERATIONS,
    *queue.OPERATIONS,
    *previews.OPERATIONS,
    *media.OPERATIONS,
    *exports.OPERATIONS,
]


def add_api_routes(app: web.Application) -> None:
    for operation in OPERATIONS:
        app.router.add_route(operation.method, operation.path, operation.handler)
