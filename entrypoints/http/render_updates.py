"""Render jobs on the WebSocket: every change of one (from any API instance) goes to the project's subscribers as an
`animatic_update` message whose data is the job as `GET /api/v1/projects/{id}/animatic` answers it."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER, QUEUE_RELAY

log = logging.getLogger(__name__)


async def _relay(app: web.Application) -> None:
    renders, converter, relay = app[CONTAINER].render_jobs(), app[JSON_CONVERTER], app[QUEUE_RELAY]
    await relay.wanted()  # no feed until someone listens, as for the queue's own feeds
    while True:
        try:
            async with contextlib.aclosing(renders.changes()) as changes:
                async for job in changes:
                    await relay.publish(job.project_id, {"type": "animatic_update",
                                                         "data": converter.unstructure(job)})
        except Exception:  # the feed broke (database restart): reopen it
            log.exception("render job change feed interrupted; reopening")
        await asyncio.sleep(1.0)


async def render_workers(app: web.Application) -> AsyncIterator[None]:
    """The relay of render changes; at shutdown, running renders stop and are recorded as failed (re-runnable)."""
    relay = asyncio.create_task(_relay(app), name="render relay")
    yield
    with contextlib.suppress(Exception):
        await asyncio.wait_for(app[CONTAINER].render_tasks().close(), 30)
    relay.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await relay
