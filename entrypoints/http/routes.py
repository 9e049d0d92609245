"""The route table: every API operation, in one list."""

from aiohttp import web

from entrypoints.http import characters, clips, comfyui, generation, health, projects, queue, scenes, templates
from entrypoints.http import exports, media, openai, previews, video_providers
from entrypoints.http import metrics_route
from entrypoints.http import webhooks  # issue 14
from entrypoints.http import render  # issue 13: storyboard sheet and animatic
from entrypoints.http import music  # issue 13: song analysis, lyrics, snapping
from entrypoints.http.operation import Operation

OPERATIONS: list[Operation] = [
    *health.OPERATIONS,
    *metrics_route.OPERATIONS,  # GET /metrics (issue 12)
    *projects.OPERATIONS,
    *scenes.OPERATIONS,
    *clips.OPERATIONS,
    *characters.OPERATIONS,
    *templates.OPERATIONS,
    *generation.OPERATIONS,
    *comfyui.OPERATIONS,
    *video_providers.OPERATIONS,
    *openai.OPERATIONS,
    *queue.OPERATIONS,
    *previews.OPERATIONS,
    *media.OPERATIONS,
    *exports.OPERATIONS,
    *webhooks.OPERATIONS,  # issue 14
    *render.OPERATIONS,  # issue 13: storyboard sheet and animatic
    *music.OPERATIONS,  # issue 13: song analysis, lyrics, snapping
]


def add_api_routes(app: web.Application) -> None:
    """Every GET also answers HEAD (same headers, no body), as `add_get` does; HEAD stays out of the document."""
    for operation in OPERATIONS:
        if operation.method == "GET":
            app.router.add_get(operation.route_path, operation.handler, allow_head=True)
        else:
            app.router.add_route(operation.method, operation.route_path, operation.handler)
