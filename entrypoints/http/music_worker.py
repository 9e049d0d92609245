"""The song analyses of an API instance: those a crash left pending resumed at start-up, the worker closed at exit."""

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from entrypoints.http.typedefs import CONTAINER

log = logging.getLogger(__name__)


async def music_analyses(app: web.Application) -> AsyncIterator[None]:
    container = app[CONTAINER]
    runner = container.music_analysis_runner()
    resumed = await runner.resume()
    if resumed:
        log.info("resumed %d pending music analyses", resumed)
    yield
    await runner.stop()
    close = getattr(container.music_analyser(), "close", None)
    if close is not None:
        close()
