"""The aiohttp application factory."""

from collections.abc import AsyncIterator
from importlib.metadata import version

from aiohttp import web

from entrypoints.container import Container, database_lifetime
from entrypoints.http.background import default_video_provider, generation_backend, health_checks, queue_workers
from entrypoints.http.cors import cors_middleware
from entrypoints.http.docs import add_docs_routes
from entrypoints.http.errors import error_middleware
from entrypoints.http.json_converter import make_json_converter
from entrypoints.http.openapi import build_openapi
from entrypoints.http.routes import OPERATIONS, add_api_routes
from entrypoints.http.websocket import queue_socket
from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER, OPENAPI
from entrypoints.settings import Settings


def create_app(settings: Settings, container: Container | None = None) -> web.Application:
    """The API; with no database given to the container, it opens the configured (or embedded) one."""
    container = container or Container(settings=settings)
    app = web.Application(
        middlewares=[cors_middleware, error_middleware],
        client_max_size=settings.max_json_body_kb * 1024,
    )
    app[CONTAINER] = container
    app[JSON_CONVERTER] = make_json_converter()
    app[OPENAPI] = build_openapi(OPERATIONS, version=version("storycanvas"), models=container.presets().all())
    add_api_routes(app)
    add_docs_routes(app)
    app.router.add_get("/api/v1/ws", queue_socket)
    app.cleanup_ctx.extend([_database, default_video_provider, generation_backend, health_checks, queue_workers])
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    async with database_lifetime(app[CONTAINER]):
        yield
