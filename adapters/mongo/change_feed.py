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
    """Every document written after `opened` is called (once the feed listens), as it stands after the write.

    Documents carry `version` and `updated_at`; polling yields a document again when either moved.
    """
    try:
        if not change_streams:
            raise PyMongoError("change streams switched off")
        # watch() returns once the server has opened the stream: every later write is in it
        async with await collection.watch(full_document="updateLookup") as stream:
            if opened is not None:
                opened()
            async for change in stream:
                if change.get("fullDocument"):
                    yield change["fullDocument"]
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
    seen: dict[Any, tuple[int, datetime]] = {}  # progress and waiting reasons keep the version, not updated_at
    while True:
        await asyncio.sleep(poll_interval)
        for document in await collection.find({"updated_at": {"$gte": since}}).to_list():
            mark = (document["version"], document["updated_at"])
            if seen.get(document["_id"]) != mark:
                seen[document["_id"]] = mark
                since = max(since, document["updated_at"])
                yield document
