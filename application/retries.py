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
BACKGROUND_ATTEMPTS = 60
BACKGROUND_LONGEST_PAUSE_S = 1.0


def pause_before(attempt: int, longest_pause_s: float = LONGEST_PAUSE_S) -> float:
    """Full jitter: anywhere up to an exponentially growing ceiling, so the losers of one race spread out."""
    return random.uniform(0.0, min(longest_pause_s, FIRST_PAUSE_S * 2**attempt))


def retried_on_lost_race(work: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Run `work` again on ConcurrentChange; after the last attempt the ConcurrentChange (a Conflict) propagates.

    Only for work whose effects all live in its unit of work, so that a lost attempt left nothing behind.
    """
    return _retried(work, ATTEMPTS, LONGEST_PAUSE_S)


def retried_patiently(work: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """As `retried_on_lost_race`, for background work no client waits on (filing a take while a fleet of
    servers files into the same board): many more attempts and longer pauses before it gives up."""
    return _retried(work, BACKGROUND_ATTEMPTS, BACKGROUND_LONGEST_PAUSE_S)


def _retried(work: Callable[P, Awaitable[R]], attempts: int, longest_pause_s: float) -> Callable[P, Awaitable[R]]:
    @functools.wraps(work)
    async def attempt_all(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(attempts - 1):
            try:
                return await work(*args, **kwargs)
            except ConcurrentChange:
                await asyncio.sleep(pause_before(attempt, longest_pause_s))
        return await work(*args, **kwargs)

    return attempt_all
