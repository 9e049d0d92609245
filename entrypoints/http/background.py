"""Background work of an API instance: the periodic ComfyUI health check, and closing client sessions."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from entrypoints.http.queue_relay import QueueRelay
from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER, QUEUE_RELAY

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
    yield
    if dispatching is not None and dispatcher is not None:
        await _cancelled(dispatching)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(dispatcher.stop(), 10)
    await _cancelled(relay)
