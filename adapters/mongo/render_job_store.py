"""Render jobs on Mongo, in `render_jobs`: version-guarded replaces, a change stream (or polling) for the relay."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import attrs
from attrs import define, evolve
from cattrs.preconf.bson import BsonConverter
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from adapters.mongo.change_feed import changed_documents
from application.errors import Conflict
from domain.render_job import RenderJob, RenderStatus

NEWEST = [("created_at", DESCENDING), ("_id", DESCENDING)]


@define
class MongoRenderJobStore:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter
    poll_interval: float = 0.5  # the changes() fallback when the server offers no change streams
    change_streams: bool = True

    @property
    def _jobs(self):  # type: ignore[no-untyped-def]
        return self.database["render_jobs"]

    def _document(self, job: RenderJob) -> dict[str, Any]:
        document = self.converter.unstructure(job)
        document["_id"] = document.pop("id")
        return document

    def _load(self, document: dict[str, Any]) -> RenderJob:
        document = {**document, "id": document["_id"]}
        del document["_id"]
        with attrs.validators.disabled():  # validated when written
            return self.converter.structure(document, RenderJob)

    async def add(self, job: RenderJob) -> None:
        try:
            await self._jobs.insert_one(self._document(job))
        except DuplicateKeyError:
            raise Conflict(f"render job {job.id} exists") from None

    async def get(self, job_id: str) -> RenderJob | None:
        document = await self._jobs.find_one({"_id": job_id})
        return None if document is None else self._load(document)

    async def latest_of_project(self, project_id: str) -> RenderJob | None:
        document = await self._jobs.find_one({"project_id": project_id}, sort=NEWEST)
        return None if document is None else self._load(document)

    async def latest_done_of_project(self, project_id: str) -> RenderJob | None:
        document = await self._jobs.find_one({"project_id": project_id, "status": RenderStatus.DONE.value},
                                             sort=NEWEST)
        return None if document is None else self._load(document)

    async def save(self, job: RenderJob) -> RenderJob:
        saved = evolve(job, version=job.version + 1)
        result = await self._jobs.replace_one({"_id": job.id, "version": job.version}, self._document(saved))
        if result.matched_count != 1:
            raise Conflict(f"render job {job.id} was changed meanwhile; reload and retry")
        return saved

    async def delete_of_project(self, project_id: str) -> int:
        return (await self._jobs.delete_many({"project_id": project_id})).deleted_count

    async def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[RenderJob]:
        """A change stream on the collection; polling `updated_at` where change streams are missing."""
        async for document in changed_documents(self._jobs, change_streams=self.change_streams,
                                                poll_interval=self.poll_interval, opened=opened):
            yield self._load(document)
