"""Recovery of jobs whose runner vanished (their lease expired): adopt, settle or run again.

Adopted if the job's server still holds the prompt, settled from the server's record if it
finished, run again when the server has no trace of it (or is gone for good).
"""

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta

from attrs import define, evolve

from application.errors import Conflict, UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend, PromptReport, PromptState
from application.ports.job_store import JobStore
from application.queue.run_job import RunJob
from application.queue.targets import RunTarget
from domain.queue_job import QueueJob

log = logging.getLogger(__name__)

StartRunner = Callable[[QueueJob, str], None]  # follow an adopted job's prompt on the server at that address


@define
class RecoverJobs:
    jobs: JobStore
    backend: GenerationBackend
    new_runner: Callable[[], RunJob]
    clock: Clock
    owner: str
    job_lease: timedelta

    async def __call__(self, expired: list[QueueJob], servers: Mapping[str, RunTarget], adopt: StartRunner) -> None:
        for job in expired:
            try:
                await self._recover(job, servers, adopt)
            except (Conflict, UpstreamUnavailable) as exc:
                log.info("recovery of job %s deferred: %s", job.id, exc)

    async def _recover(self, job: QueueJob, servers: Mapping[str, RunTarget], adopt: StartRunner) -> None:
        now = self.clock.now()
        if job.cancel_requested:
            await self.jobs.save(job.cancelled(now=now))
            return
        server = servers.get(job.server_id or "")
        report = PromptReport(PromptState.UNKNOWN) if server is None else await self._report(server, job)
        adopted = await self.jobs.save(evolve(job, lease_owner=self.owner, lease_expires_at=now + self.job_lease))
        if server is None or report.state is PromptState.UNKNOWN:
            await self.jobs.save(adopted.requeued(now=now))  # nothing ran there: run it again
        elif report.state is PromptState.ACTIVE:
            adopt(adopted, server.address)
        elif report.outcome is not None:
            await self.new_runner().settle(adopted, server.address, report.outcome, duration=0.0)

    async def _report(self, server: RunTarget, job: QueueJob) -> PromptReport:
        """What the job's server knows of its prompt; unreachable counts as 'lost' only once checks say it is down."""
        try:
            return await self.backend.status(server.address, job.remote_id or job.prompt_id or job.id)
        except UpstreamUnavailable:
            if server.down:
                return PromptReport(PromptState.UNKNOWN)  # the server is gone with whatever it ran
            raise  # maybe a blip: recovery is deferred to the next tick
