"""The aiohttp application factory."""

from collections.abc import AsyncIterator
from importlib.metadata import version

from aiohttp import web

from entrypoints.container import Container, database_lifetime
from entrypoints.http.board_responses import BoardResponses
from entrypoints.http.background import default_video_provider, generation_backend, health_checks, queue_workers
from entrypoints.http.music_worker import music_analyses  # issue 13
from entrypoints.http.cors import cors_middleware
from entrypoints.http.docs import add_docs_routes
from entrypoints.http.errors import error_middleware
from entrypoints.http.guards import guard_middlewares
from entrypoints.http.json_converter import make_json_converter
from entrypoints.http.metrics_route import add_observability
from entrypoints.http.openapi import build_openapi
from entrypoints.http.routes import OPERATIONS, add_api_routes
from entrypoints.http.websocket import queue_socket
from entrypoints.http.typedefs import BOARD_RESPONSES, CONTAINER, JSON_CONVERTER, OPENAPI
from entrypoints.http.webhook_worker import webhook_deliveries  # issue 14
from entrypoints.http.render_updates import render_workers  # issue 13: animatic renders
from entrypoints.settings import Settings


def create_app(settings: Settings, container: Container | None = None) -> web.Application:
    """The API; with no database given to the container, it opens the configured (or embedded) one."""
    container = container or Container(settings=settings)
    app = web.Application(
        middlewares=[cors_middleware, error_middleware, *guard_middlewares(settings, OPERATIONS)],
        client_max_size=settings.max_json_body_kb * 1024,
    )
    app[CONTAINER] = container
    app[JSON_CONVERTER] = make_json_converter()
    app[BOARD_RESPONSES] = BoardResponses()
    app[OPENAPI] = build_openapi(OPERATIONS, version=version("storycanvas"), models=container.presets().all())
    add_api_routes(app)
    add_docs_routes(app)
    app.router.add_get("/api/v1/ws", queue_socket)
    add_observability(app, OPERATIONS)  # X-Request-ID, request metrics, GET /metrics (issue 12)
    app.cleanup_ctx.extend([_database, default_video_provider, generation_backend, health_checks, queue_workers])
    app.cleanup_ctx.append(webhook_deliveries)  # issue 14: the webhook outbox's deliverer
    app.cleanup_ctx.append(music_analyses)  # issue 13: pending song analyses resumed
    app.cleanup_ctx.append(render_workers)  # issue 13: render jobs on the WebSocket; renders stopped at shutdown
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    async with database_lifetime(app[CONTAINER]):
        yield
