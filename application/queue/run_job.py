"""Run one claimed job on its server: submit (or adopt), relay progress, file the result or retry."""

import contextlib
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from attrs import define, evolve

from application.errors import Conflict, PayloadTooLarge, UnsupportedMedia, UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import (
    GenerationBackend, OnEvent, OutputFile, PromptEvent, PromptOutcome, PromptStatus, WorkflowRejected,
)
from application.ports.id_generator import IdGenerator
from application.ports.job_store import JobStore
from application.ports.media_store import MediaStore, StoredMedia
from application.ports.preview_store import JobPreview, PreviewStore
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_patiently
from domain.generated_content import GeneratedContent
from domain.queue_job import JobStatus, QueueJob

PROGRESS_EVERY_S = 1.0  # a progress tick is a write to the job (and an update to every subscriber): one a second
PREVIEW_EVERY_S = 1.0  # at most one preview a second per job


@define
class RunJob:
    jobs: JobStore
    backend: GenerationBackend
    media: MediaStore
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    previews: PreviewStore
    owner: str
    timeout_s: float = 3600.0
    max_output_bytes: int = 4 * 1024**3

    async def __call__(self, job: QueueJob, server_url: str, *, adopt: bool = False,
                       fallback: bool = True) -> QueueJob | None:
        """Run `job`; with `adopt`, it was submitted by a runner that vanished: only follow it.

        `fallback`: another server could take the job if this one refuses it for reasons of its own.
        """
        started = time.monotonic()
        prompt_id = job.remote_id or job.prompt_id or job.id  # a backend that names work itself gave remote_id
        try:
            if not adopt:
                workflow = await self._with_init_image(job, server_url, await self.jobs.workflow(job.id))
                remote_id = await self.backend.submit(server_url, workflow, prompt_id=prompt_id)
                if remote_id is not None:
                    prompt_id = remote_id
                    await self._remember(job.id, server_url, remote_id)
            outcome = await self.backend.follow(server_url, prompt_id, self._on_event(job), timeout=self.timeout_s)
        except WorkflowRejected as exc:
            if exc.permanent or not fallback:
                return await self._finish(job.id, lambda j: j.refused(str(exc), now=self.clock.now()))
            return await self._finish(job.id, lambda j: j.attempt_failed(str(exc), now=self.clock.now()))
        except UpstreamUnavailable as exc:
            with contextlib.suppress(UpstreamUnavailable):
                await self.backend.cancel(server_url, prompt_id)  # never leave a copy running behind a retry
            return await self._finish(job.id, lambda j: self._lost(j, str(exc)))
        return await self.settle(job, server_url, outcome, duration=time.monotonic() - started)

    async def settle(self, job: QueueJob, server_url: str, outcome: PromptOutcome, *, duration: float) -> QueueJob | None:
        """Turn a prompt's outcome into the job's next state."""
        if outcome.status is PromptStatus.SUCCEEDED:
            return await self._succeed(job, server_url, outcome, duration)
        if outcome.status is PromptStatus.INTERRUPTED:
            return await self._finish(job.id, self._interrupted)
        return await self._finish(job.id, lambda j: j.attempt_failed(outcome.error or "failed", now=self.clock.now()))

    async def _with_init_image(self, job: QueueJob, server_url: str, workflow: dict[str, Any]) -> dict[str, Any]:
        """Upload the start image to this server and point the workflow at the name it was given."""
        key = job.params.get("init_image")
        if not key:
            return workflow
        data = await self.media.read(key)
        if data is None:
            raise WorkflowRejected(f"the start image {key} is no longer in storage")
        name = await self.backend.upload_image(server_url, f"storycanvas_{job.id}{PurePosixPath(key).suffix}", data)
        return {node: {**spec, "inputs": {k: name if v == key else v for k, v in spec["inputs"].items()}}
                for node, spec in workflow.items()}

    async def _remember(self, job_id: str, server_url: str, remote_id: str) -> None:
        """Record the id the server gave the work (recovery and cancel need it); a cancel asked before it was known
        could not reach the work, so it is passed on now."""
        job = await self._finish(job_id, lambda j: evolve(j, remote_id=remote_id, updated_at=self.clock.now()))
        if job is not None and job.cancel_requested:
            with contextlib.suppress(UpstreamUnavailable):
                await self.backend.cancel(server_url, remote_id)

    def _lost(self, job: QueueJob, error: str) -> QueueJob:
        """The prompt vanished or the server is away: cancelled if that was asked, else retried."""
        now = self.clock.now()
        return job.cancelled(now=now) if job.cancel_requested else job.attempt_failed(error, now=now)

    def _interrupted(self, job: QueueJob) -> QueueJob:
        now = self.clock.now()
        return job.cancelled(now=now) if job.cancel_requested else job.attempt_failed("interrupted", now=now)

    def _on_event(self, job: QueueJob) -> OnEvent:
        progress, preview = self._progress(job), self._preview(job)

        async def relay(event: PromptEvent) -> None:
            await (preview if event.kind == "preview" else progress)(event)

        return relay

    def _preview(self, job: QueueJob) -> OnEvent:
        last = {"at": float("-inf")}

        async def keep(event: PromptEvent) -> None:
            if event.image is None or time.monotonic() - last["at"] < PREVIEW_EVERY_S:
                return
            last["at"] = time.monotonic()
            await self.previews.put(JobPreview(job_id=job.id, project_id=job.project_id, clip_id=job.clip_id,
                                               image=event.image, created_at=self.clock.now()))

        return keep

    def _progress(self, job: QueueJob) -> OnEvent:
        last = {"at": 0.0, "value": 0.0}

        async def report(event: PromptEvent) -> None:
            if event.kind != "progress" or not event.maximum:
                return
            value = round(min(99.0, 100.0 * (event.value or 0) / event.maximum), 1)
            if value > last["value"] and time.monotonic() - last["at"] >= PROGRESS_EVERY_S:
                last.update(at=time.monotonic(), value=value)
                await self.jobs.report_progress(job.id, owner=self.owner, progress=value, now=self.clock.now())

        return report

    async def _succeed(self, job: QueueJob, server_url: str, outcome: PromptOutcome, duration: float) -> QueueJob | None:
        current = await self.jobs.get(job.id)
        if current is None or not self._ours(current):
            return current  # another instance took the job over and files its result
        if not await self._clip_exists(job.clip_id):
            return await self._finish(job.id, self._discarded, current)  # its clip, scene or project was deleted
        results = [o for o in outcome.outputs if o.role == "result"]
        files = [o for o in results if o.node_id == job.output_node] or results
        if not files:
            return await self._finish(job.id, lambda j: j.attempt_failed("the workflow produced no output",
                                                                         now=self.clock.now()))
        poster = await self._poster(job, server_url, outcome)
        takes = []
        for output in files:
            stored = await self._store(job, server_url, output)
            takes.append(GeneratedContent(
                id=self.ids.new_id(), kind=job.kind, url=stored.url, path=stored.key, created_at=self.clock.now(),
                model=job.model, seed=job.params.get("seed"), params={**job.params, **outcome.provenance},
                server_id=job.server_id, job_id=job.id, duration_s=round(duration, 3),
                poster_url=poster.url if poster else None, poster_path=poster.key if poster else None,
            ))
        if not await self._file_into_gallery(job.clip_id, takes):
            for path in {*(take.path for take in takes), poster.key if poster else None} - {None}:
                await self.media.delete(path or "")
            return await self._finish(job.id, self._discarded)
        return await self._finish(job.id, lambda j: j.completed(url=takes[0].url, content_id=takes[0].id,
                                                                now=self.clock.now()), current)

    async def _store(self, job: QueueJob, server_url: str, output: OutputFile) -> StoredMedia:
        return await self.media.store_generated(job.project_id, job.clip_id, output.filename,
                                                self.backend.download(server_url, output),
                                                max_bytes=self.max_output_bytes)

    async def _poster(self, job: QueueJob, server_url: str, outcome: PromptOutcome) -> StoredMedia | None:
        """The still standing for the takes (a provider's thumbnail); a poster that fails to arrive is no loss."""
        poster = next((o for o in outcome.outputs if o.role == "poster"), None)
        if poster is None:
            return None
        try:
            return await self._store(job, server_url, poster)
        except (UpstreamUnavailable, UnsupportedMedia, PayloadTooLarge):
            return None

    @retried_patiently
    async def _file_into_gallery(self, clip_id: str, takes: list[GeneratedContent]) -> bool:
        """Whether the takes are in the clip's gallery; False if the clip was deleted meanwhile.

        Guarded by the clip's own version, as a text edit is: a take changes no rule across the scene's clips
        (their places on the timeline), so filing races only changes of this clip, not its neighbours'."""
        async with self.uow:
            clip = await self.uow.clips.get(clip_id)
            if clip is None:
                return False
            self.uow.board_changed(clip.project_id)
            if any(t.job_id == takes[0].job_id for t in (*clip.generated_images, *clip.generated_videos)):
                return True  # filed already (by a runner that died before it could complete the job)
            for take in takes:
                clip = clip.with_content(take, now=self.clock.now())
            await self.uow.clips.update(clip)
            await self.uow.commit()
        return True

    async def _clip_exists(self, clip_id: str) -> bool:
        async with self.uow.reading():
            return await self.uow.clips.get(clip_id) is not None

    def _discarded(self, job: QueueJob) -> QueueJob:
        """The result came for a clip that no longer exists: nothing was kept, the job ends cancelled."""
        return evolve(job.cancelled(now=self.clock.now()),
                      error_message="its clip was deleted; the result was discarded")

    def _ours(self, current: QueueJob) -> bool:
        return current.status is JobStatus.PROCESSING and current.lease_owner == self.owner

    async def _finish(self, job_id: str, transition: Callable[[QueueJob], QueueJob],
                      read: QueueJob | None = None) -> QueueJob | None:
        """Apply `transition` to the stored job, retrying on concurrent edits; leave it if no longer ours.

        `read`: the job as just read, tried first (a save guarded by its version fails if it changed since)."""
        for _ in range(10):
            current, read = read or await self.jobs.get(job_id), None
            if current is None or not self._ours(current):
                return current  # deleted, cancelled or taken over meanwhile: not ours to change
            try:
                return await self.jobs.save(transition(current))
            except Conflict:
                continue
        raise Conflict(f"job {job_id} kept changing")
