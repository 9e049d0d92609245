"""The latest preview of each job in `queue_previews` (one document per job, `_id` = job id), fed by a change stream."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from attrs import define, field
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.bson import BsonConverter, make_converter
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from application.ports.preview_store import JobPreview

log = logging.getLogger(__name__)


def make_preview_converter() -> BsonConverter:
    """`job_id` is the document's `_id` (its index); the JPEG is stored as BSON binary."""
    converter = make_converter()
    rename = override(rename="_id")
    converter.register_unstructure_hook(JobPreview, make_dict_unstructure_fn(JobPreview, converter, job_id=rename))
    converter.register_structure_hook(JobPreview, make_dict_structure_fn(JobPreview, converter, job_id=rename))
    return converter


@define
class MongoPreviewStore:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter = field(factory=make_preview_converter)
    poll_interval: float = 0.5  # the changes() fallback when the server offers no change streams
    change_streams: bool = True  # False polls even where change streams exist (to test the fallback)

    @property
    def _previews(self):  # type: ignore[no-untyped-def]
        return self.database["queue_previews"]

    def _load(self, document: dict[str, Any]) -> JobPreview:
        return self.converter.structure(document, JobPreview)

    async def put(self, preview: JobPreview) -> None:
        await self._previews.replace_one({"_id": preview.job_id}, self.converter.unstructure(preview), upsert=True)

    async def latest(self, job_id: str) -> JobPreview | None:
        document = await self._previews.find_one({"_id": job_id})
        return None if document is None else self._load(document)

    async def delete(self, job_ids: Sequence[str]) -> None:
        if job_ids:
            await self._previews.delete_many({"_id": {"$in": list(job_ids)}})

    async def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[JobPreview]:
        """A change stream on `queue_previews` (puts replace whole documents); polling `created_at` without one."""
        try:
            if not self.change_streams:
                raise PyMongoError("change streams switched off")
            async with await self._previews.watch() as stream:
                if opened is not None:
                    opened()
                async for change in stream:
                    if change.get("fullDocument"):  # inserts and replacements; deletions carry none
                        yield self._load(change["fullDocument"])
        except PyMongoError as exc:
            log.warning("no change stream on queue_previews (%s); polling instead", exc)
            async for preview in self._poll(opened):
                yield preview

    async def _poll(self, opened: Callable[[], None] | None) -> AsyncIterator[JobPreview]:
        last = await self._previews.find_one({}, sort=[("created_at", DESCENDING)], projection={"created_at": 1})
        since = last["created_at"] if last else datetime.min.replace(tzinfo=UTC)
        seen: dict[str, datetime] = {}
        if opened is not None:
            opened()
        while True:
            await asyncio.sleep(self.poll_interval)
            for document in await self._previews.find({"created_at": {"$gte": since}}).to_list():
                preview = self._load(document)
                if seen.get(preview.job_id) != preview.created_at:
                    seen[preview.job_id] = preview.created_at
                    since = max(since, preview.created_at)
                    yield preview
