"""Background work of an API instance: the periodic ComfyUI health check, closing client sessions, and the video
provider the environment configures."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from application.video_providers.configure_default import EnvironmentProvider
from entrypoints.http.queue_relay import QueueRelay
from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER, QUEUE_RELAY
from entrypoints.settings import OPENAI_URL

log = logging.getLogger(__name__)


async def _check_forever(app: web.Application, interval: float) -> None:
    while True:
        try:
            await app[CONTAINER].check_servers()()
        except Exception:  # a failed round is logged; the next one may succeed
            log.exception("ComfyUI health check failed")
        await asyncio.sleep(interval)


async def health_checks(app: web.Application) -> AsyncIterator[None]:
    interval = app[CONTAINER].settings().comfyui_health_interval_s
    task = asyncio.create_task(_check_forever(app, interval)) if interval > 0 else None
    yield
    if task is not None:
        await _cancelled(task)


async def generation_backend(app: web.Application) -> AsyncIterator[None]:
    yield
    await app[CONTAINER].generation_backend().close()


async def _cancelled(task: asyncio.Task[None], *, grace: float = 5.0) -> None:
    """Cancel and wait, but never hang shutdown on a task stuck in I/O (e.g. an awaiting change stream)."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(asyncio.shield(task), grace)


async def queue_workers(app: web.Application) -> AsyncIterator[None]:
    """The dispatcher (schedules while this instance holds the dispatch lease) and the WebSocket relay."""
    container = app[CONTAINER]
    app[QUEUE_RELAY] = QueueRelay(container.jobs(), container.preview_store(), app[JSON_CONVERTER])
    relay = asyncio.create_task(app[QUEUE_RELAY].run(), name="queue relay")
    dispatcher = container.dispatcher() if container.settings().queue_workers else None
    dispatching = asyncio.create_task(dispatcher.run_forever(), name="dispatcher") if dispatcher else None
    container.dispatcher_task().started(dispatching, dispatcher)
    yield
    if dispatching is not None and dispatcher is not None:
        await _cancelled(dispatching)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(dispatcher.stop(), 10)
    await _cancelled(relay)


async def default_video_provider(app: web.Application) -> AsyncIterator[None]:
    """The provider OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_VIDEO_MODEL configure, written at start-up."""
    container = app[CONTAINER]
    settings = container.settings()
    url = settings.default_provider_url
    wanted = None if url is None else EnvironmentProvider(url, settings.openai_api_key, settings.openai_video_model)
    await container.configure_default_provider()(wanted)
    if url == OPENAI_URL:
        log.warning("the default video provider is OpenAI's own Videos API, which shut down on 2026-09-24: "
                    "set OPENAI_BASE_URL to the engine serving /v1/videos")
    yield
