"""The dispatcher of one API instance: while it holds the dispatch lease it schedules the queue.

Every instance renews the leases of the jobs it runs; only the lease holder claims new jobs, says
why waiting jobs cannot run (a model no server offers), and hands jobs whose runner vanished (expired
lease) to recovery. It is the QueueSignal the use cases call when they queue work or change switches.
"""

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from attrs import define, evolve, field

from application.ports.clock import Clock
from application.ports.dispatch_lease import DispatchLease
from application.ports.job_store import JobStore
from application.ports.queue_settings import QueueSettings
from application.ports.unit_of_work import UnitOfWork
from application.queue.recovery import RecoverJobs
from application.queue.run_job import RunJob
from application.queue.targets import RunTarget, provider_state, run_targets
from domain.comfyui_server import ComfyUIServer
from domain.queue_job import QueueJob
from domain.scheduling import ServerState, plan_dispatch
from domain.video_provider import VideoProvider
from domain.waiting_reasons import waiting_reason

log = logging.getLogger(__name__)


def server_state(server: ComfyUIServer, running: int, loaded: str | None, *, prefetch: int = 0) -> ServerState:
    """`prefetch` prompts beyond capacity wait in the server's own queue, so a slot never idles between jobs."""
    catalog = server.models
    names = {*catalog.checkpoints, *catalog.diffusion_models, *catalog.loras, *catalog.vae, *catalog.text_encoders,
             *catalog.clip_vision}
    free = max(server.capacity + prefetch - running, 0)
    return ServerState(server.id, free, frozenset(names) if names else None, loaded)


@define
class Dispatcher:
    jobs: JobStore
    lease: DispatchLease
    settings: QueueSettings
    recover: RecoverJobs
    new_uow: Callable[[], UnitOfWork]
    new_runner: Callable[[], RunJob]
    clock: Clock
    owner: str
    job_lease: timedelta = timedelta(seconds=30)
    tick_s: float = 0.5
    affinity: bool = True
    housekeeping_s: float = 1.0  # lease renewals, server list, pause switches and recovery at most this often
    ready_window: int = 200  # waiting jobs per project the policy chooses among (affinity needs a choice)
    prefetch: int = 0  # prompts per server queued on the server beyond its capacity (0: strict capacity)
    _running: dict[str, asyncio.Task[None]] = field(factory=dict)
    _leader: bool = False
    _last_housekeeping: float = float("-inf")
    _registered_servers: dict[str, ComfyUIServer] = field(factory=dict)
    _providers: dict[str, VideoProvider] = field(factory=dict)  # by target (`provider:<id>`)
    _queue_paused: bool = False
    _paused_servers: frozenset[str] = frozenset()
    _pending: list[QueueJob] = field(factory=list)  # the waiting window, re-read when stale or woken
    _pending_at: float = float("-inf")
    _loaded: dict[str, str | None] = field(factory=dict)
    _wake: asyncio.Event = field(factory=asyncio.Event)

    def wake(self, *, refresh: bool = False) -> None:
        """Schedule now (a job was queued, a slot freed); `refresh` re-reads servers, switches and the queue."""
        if refresh:
            self._last_housekeeping = float("-inf")
        self._pending_at = float("-inf")
        self._wake.set()

    def work_queued(self) -> None:
        self.wake()

    def settings_changed(self) -> None:
        self.wake(refresh=True)

    async def run_forever(self) -> None:
        while True:
            self._wake.clear()  # before the round: a wake-up during it starts the next one at once
            try:
                await self.tick()
            except Exception:  # the database or a server hiccuped: try again next tick
                log.exception("dispatch tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.tick_s)

    async def stop(self) -> None:
        """Stop running jobs here; their leases expire and the next dispatcher adopts them."""
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        await self.lease.release(self.owner)

    async def tick(self) -> None:
        """Dispatch into free slots; housekeeping (leases, servers, switches, recovery) once in a while."""
        housekeeping = time.monotonic() - self._last_housekeeping >= self.housekeeping_s
        if housekeeping:
            await self._housekeeping()
        if not self._leader:
            return
        processing = await self.jobs.processing()
        usable = {i: s for i, s in self._registered_servers.items()
                  if s.enabled and s.available and i not in self._paused_servers}
        providers = {target: p for target, p in self._providers.items() if p.enabled}
        if housekeeping:
            targets = run_targets(self._registered_servers, self._providers)
            await self.recover([j for j in processing if self._expired(j)], targets, self._adopt)
            await self._explain_waiting(usable, providers)
        if not self._queue_paused:
            await self._dispatch(usable, providers, processing)

    async def _housekeeping(self) -> None:
        self._last_housekeeping = time.monotonic()
        now = self.clock.now()
        await self.jobs.renew_leases(list(self._running), owner=self.owner, until=now + self.job_lease)
        self._leader = await self.lease.hold(self.owner, seconds=self.job_lease.total_seconds() / 2)
        if self._leader:
            self._registered_servers, self._providers = await self._registered()
            self._queue_paused = await self.settings.paused()
            self._paused_servers = await self.settings.paused_servers()

    async def _explain_waiting(self, usable: dict[str, ComfyUIServer], providers: dict[str, VideoProvider]) -> None:
        """Record on each waiting job why no server can take it, and clear the reason once one can."""
        states = [*(server_state(server, 0, None) for server in usable.values()),
                  *(provider_state(provider, 0) for provider in providers.values())]
        now = self.clock.now()
        for job in await self._ready(0):
            reason = waiting_reason(job, states, queue_paused=self._queue_paused)
            if reason != job.waiting_reason:
                await self.jobs.set_waiting_reason(job.id, reason, now=now)
                self._pending_at = float("-inf")  # the window holds the old reason

    def _expired(self, job: QueueJob) -> bool:
        return job.id not in self._running and (job.lease_expires_at is None or job.lease_expires_at < self.clock.now())

    async def _registered(self) -> tuple[dict[str, ComfyUIServer], dict[str, VideoProvider]]:
        """Every registered server and video provider: recovery must reach a job's server even when it is paused
        or disabled."""
        async with self.new_uow() as uow:
            servers = {s.id: s for s in await uow.comfyui_servers.find({})}
            return servers, {p.target: p for p in await uow.video_providers.find({})}

    async def _dispatch(self, servers: dict[str, ComfyUIServer], providers: dict[str, VideoProvider],
                        processing: list[QueueJob]) -> None:
        busy = Counter(job.server_id for job in processing)
        states = [*(server_state(s, busy[s.id], self._loaded.get(s.id), prefetch=self.prefetch)
                    for s in servers.values()),
                  *(provider_state(p, busy[target]) for target, p in providers.items())]
        free = sum(state.free_slots for state in states)
        if free == 0:
            return
        ready = await self._ready(free)
        by_project = Counter(job.project_id for job in processing)
        plan = plan_dispatch(ready, states, dict(by_project), now=self.clock.now(), affinity=self.affinity)
        jobs = {job.id: job for job in ready}
        targets = run_targets(servers, providers)
        for assignment in plan:
            job = jobs[assignment.job_id]
            fallback = any(s.id != assignment.server_id and s.id not in job.excluded_servers and s.offers(job)
                           for s in states)
            await self._claim_and_run(job, targets[assignment.server_id], fallback=fallback)

    async def _ready(self, free: int) -> list[QueueJob]:
        """Waiting jobs due now. The window is re-read at most every housekeeping period unless woken (a
        stale entry only costs a failed claim: claims are atomic on the job's version)."""
        if not self._pending or time.monotonic() - self._pending_at >= self.housekeeping_s:
            self._pending = await self.jobs.ready(self.clock.now(), per_project=max(self.ready_window, free))
            self._pending_at = time.monotonic()
        now = self.clock.now()
        return [job for job in self._pending if job.not_before is None or job.not_before <= now]

    async def _claim_and_run(self, job: QueueJob, target: RunTarget, *, fallback: bool) -> None:
        now = self.clock.now()
        claimed = job.claimed(server_id=target.id, owner=self.owner, lease=self.job_lease, now=now)
        self._pending = [waiting for waiting in self._pending if waiting.id != job.id]
        if await self.jobs.claim(job, claimed):
            self._loaded[target.id] = job.checkpoint
            self._start(evolve(claimed, version=job.version + 1), target.address, adopt=False, fallback=fallback)

    def _adopt(self, job: QueueJob, url: str) -> None:
        self._start(job, url, adopt=True)

    def _start(self, job: QueueJob, url: str, *, adopt: bool, fallback: bool = True) -> None:
        task = asyncio.create_task(self._run(job, url, adopt=adopt, fallback=fallback), name=f"job {job.id}")
        self._running[job.id] = task

    async def _run(self, job: QueueJob, url: str, *, adopt: bool, fallback: bool) -> None:
        try:
            await self.new_runner()(job, url, adopt=adopt, fallback=fallback)
        except Exception:  # its lease is no longer renewed, so recovery takes the job over
            log.exception("job %s crashed its runner; it will be recovered when its lease expires", job.id)
        finally:
            self._running.pop(job.id, None)
            if job.server_id is not None and not self.prefetch:
                self._loaded[job.server_id] = job.checkpoint  # the freed slot holds this checkpoint
                # (with prefetch the slot runs the prompt already queued there: the last one sent stays)
            self._wake.set()
