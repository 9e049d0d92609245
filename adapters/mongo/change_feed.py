"""The documents of a collection as they change: a change stream, or polling `updated_at` where there is none."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

log = logging.getLogger(__name__)


async def changed_documents(collection: AsyncCollection[dict[str, Any]], *, change_streams: bool,
                            poll_interval: float, opened: Callable[[], None] | None = None
                            ) -> AsyncIterator[dict[str, Any]]:
    """Every document changed after `opened` is called (once the feed listens), as it stands after the write.

    Documents carry `version` and `updated_at`; a change moves either (polling can see nothing else), so a
    write that moves neither (bookkeeping: a lease renewal, an `announced` mark) is not yielded by the change
    stream either.
    """
    try:
        if not change_streams:
            raise PyMongoError("change streams switched off")
        # watch() returns once the server has opened the stream: every later write is in it
        async with await collection.watch(full_document="updateLookup") as stream:
            if opened is not None:
                opened()
            seen = Marks()
            async for change in stream:
                document = change.get("fullDocument")
                if document and seen.moved(document):
                    yield document
    except PyMongoError as exc:
        log.warning("no change stream on %s (%s); polling instead", collection.name, exc)
        async for document in _polled(collection, poll_interval, opened):
            yield document


async def _polled(collection: AsyncCollection[dict[str, Any]], poll_interval: float,
                  opened: Callable[[], None] | None) -> AsyncIterator[dict[str, Any]]:
    last = await collection.find_one({}, sort=[("updated_at", DESCENDING)], projection={"updated_at": 1})
    since = last["updated_at"] if last else datetime.min.replace(tzinfo=UTC)
    if opened is not None:
        opened()
    seen = Marks()  # progress and waiting reasons keep the version, not updated_at
    while True:
        await asyncio.sleep(poll_interval)
        for document in await collection.find({"updated_at": {"$gte": since}}).to_list():
            if seen.moved(document):
                since = max(since, document["updated_at"])
                yield document


class Marks:
    """The (version, updated_at) each document was last yielded with; the oldest forgotten past `keep`
    (a forgotten document's next bookkeeping write is yielded once more: a duplicate, never a gap)."""

    def __init__(self, keep: int = 10_000) -> None:
        self.keep = keep
        self._marks: dict[Any, tuple[Any, Any]] = {}

    def moved(self, document: dict[str, Any]) -> bool:
        mark = (document.get("version"), document.get("updated_at"))
        if self._marks.get(document["_id"]) == mark:
            return False
        self._marks.pop(document["_id"], None)
        self._marks[document["_id"]] = mark
        while len(self._marks) > self.keep:
            del self._marks[next(iter(self._marks))]
        return True
