"""An in-memory change feed: every listener gets every item published after it started listening."""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from attrs import define, field

T = TypeVar("T")


@define
class Feed(Generic[T]):
    _listeners: list[asyncio.Queue[T]] = field(factory=list)

    def publish(self, item: T) -> None:
        for listener in self._listeners:
            listener.put_nowait(item)

    async def listen(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[T]:
        listener: asyncio.Queue[T] = asyncio.Queue()
        self._listeners.append(listener)
        if opened is not None:
            opened()
        try:
            while True:
                yield await listener.get()
        finally:
            self._listeners.remove(listener)
