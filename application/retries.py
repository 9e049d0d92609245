"""Running a use case again when its unit of work lost a race: a bounded number of attempts, jittered pauses."""

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from application.errors import ConcurrentChange

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 12
FIRST_PAUSE_S = 0.004
LONGEST_PAUSE_S = 0.2


def pause_before(attempt: int) -> float:
    """Full jitter: anywhere up to an exponentially growing ceiling, so the losers of one race spread out."""
    return random.uniform(0.0, min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2**attempt))


def retried_on_lost_race(work: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Run `work` again on ConcurrentChange; after the last attempt the ConcurrentChange (a Conflict) propagates.

    Only for work whose effects all live in its unit of work, so that a lost attempt left nothing behind.
    """

    @functools.wraps(work)
    async def attempts(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(ATTEMPTS - 1):
            try:
                return await work(*args, **kwargs)
            except ConcurrentChange:
                await asyncio.sleep(pause_before(attempt))
        return await work(*args, **kwargs)

    return attempts
