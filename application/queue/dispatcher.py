"""The dispatcher of one API instance: while it holds the dispatch lease it schedules the queue.

Every instance renews the leases of the jobs it runs; only the lease holder claims new jobs, says
why waiting jobs cannot run (a model no server offers), and hands jobs whose runner vanished (expired
lease) to recovery. It is the QueueSignal the use cases call when they queue work or change switches.

A dispatch round waits for nothing but its claims (made together): housekeeping (leases, servers,
switches, the running jobs of other instances, recovery) and the re-read of the waiting window run
beside the rounds, once a housekeeping period, and wake the dispatcher when done. The jobs running here
are known without reading; those of other instances from the last housekeeping (a slot they free is
seen then: never too many jobs on a server, at worst one period late). With `housekeeping_s` 0 (tests)
every round does both first, in line.
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
from application.queue.speed import SpeedTracker
from application.queue.targets import RunTarget, provider_state, run_targets
from domain.comfyui_server import ComfyUIServer
from domain.queue_job import JobStatus, QueueJob
from domain.scheduling import ServerState, Timing, plan_dispatch
from domain.scheduling import running_counts  # issue 14: fair share by owner
from domain.video_provider import VideoProvider
from domain.waiting_reasons import waiting_reason

log = logging.getLogger(__name__)


def server_state(server: ComfyUIServer, running: int, loaded: str | None, *, prefetch: int = 0,
                 slots_free_in: tuple[float, ...] = ()) -> ServerState:
    """`prefetch` prompts beyond capacity wait in the server's own queue, so a slot never idles between jobs."""
    catalog = server.models
    names = {*catalog.checkpoints, *catalog.diffusion_models, *catalog.loras, *catalog.vae, *catalog.text_encoders,
             *catalog.clip_vision}
    free = max(server.capacity + prefetch - running, 0)
    rules = server.rules if server.rules.names else None
    return ServerState(server.id, free, frozenset(names) if names else None, loaded, slots_free_in=slots_free_in,
                       rules=rules, capacity=server.capacity)


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
    window_s: float = 10.0  # the window is re-read at least this often (jobs queued through other instances)
    prefetch: int = 0  # prompts per server queued on the server beyond its capacity (0: strict capacity)
    speed: SpeedTracker | None = None  # None: every server is reckoned alike (no speed-aware placement)
    _running: dict[str, asyncio.Task[None]] = field(factory=dict)
    _running_jobs: dict[str, QueueJob] = field(factory=dict)  # as claimed or adopted here
    _remote: list[QueueJob] = field(factory=list)  # running on other instances, at the last housekeeping
    _finished_log: set[str] | None = None  # ids finished here while the running jobs are read
    _claimed_log: set[str] | None = None  # ids claimed here while the waiting window is read
    _housekept: bool = False
    _housekeeping_task: asyncio.Task[None] | None = None
    _refresh_task: asyncio.Task[None] | None = None
    _window_full: bool = True  # the last read filled its window: more jobs may wait beyond it
    _window_wanted: bool = False  # work was queued here since the last read
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
    last_round_at: float = field(default=float("-inf"), init=False)  # monotonic; readiness sees a stalled loop

    def wake(self, *, refresh: bool = False) -> None:
        """Schedule now (a job was queued, a slot freed); `refresh` re-reads servers, switches and the queue."""
        if refresh:
            self._last_housekeeping = float("-inf")
        self._pending_at = float("-inf")
        self._wake.set()

    def work_queued(self) -> None:
        self._window_wanted = True
        self._wake.set()

    def settings_changed(self) -> None:
        self.wake(refresh=True)

    async def run_forever(self) -> None:
        while True:
            self._wake.clear()  # before the round: a wake-up during it starts the next one at once
            try:
                await self.tick()
            except Exception:  # the database or a server hiccuped: try again next tick
                log.exception("dispatch tick failed")
            self.last_round_at = time.monotonic()
            with contextlib.suppress(TimeoutError):  # (not `wait_for`: on 3.11 it can swallow a cancel)
                async with asyncio.timeout(self.tick_s):
                    await self._wake.wait()

    async def stop(self) -> None:
        """Stop housekeeping and the jobs running here, then let the lead go; the jobs' leases expire and the
        next dispatcher adopts them. Housekeeping goes first: left running, it could take the lead again."""
        aside = [t for t in (self._housekeeping_task, self._refresh_task) if t is not None]
        for task in (*aside, *self._running.values()):
            task.cancel()
        await asyncio.gather(*aside, *self._running.values(), return_exceptions=True)
        await self.lease.release(self.owner)

    async def tick(self) -> None:
        """Dispatch into free slots; housekeeping (leases, servers, switches, recovery) once in a while."""
        if time.monotonic() - self._last_housekeeping >= self.housekeeping_s:
            if self._housekept and self.housekeeping_s > 0:  # aside: this round goes on with what is known
                if self._housekeeping_task is None or self._housekeeping_task.done():
                    self._housekeeping_task = asyncio.create_task(self._housekeeping_aside())
            else:  # the first decides whether this instance leads
                await self._housekeeping()
        if self._leader and not self._queue_paused:
            await self._dispatch(self._usable_servers(), self._usable_providers(),
                                 [*self._running_jobs.values(), *self._remote])

    def _usable_servers(self) -> dict[str, ComfyUIServer]:
        return {i: s for i, s in self._registered_servers.items()
                if s.enabled and s.available and i not in self._paused_servers}

    def _usable_providers(self) -> dict[str, VideoProvider]:
        return {target: p for target, p in self._providers.items() if p.enabled}

    async def _housekeeping_aside(self) -> None:
        try:
            await self._housekeeping()
        except Exception:  # the database hiccuped: the next period tries again
            log.exception("dispatcher housekeeping failed")
        self._wake.set()

    async def _housekeeping(self) -> None:
        self._last_housekeeping = time.monotonic()
        now = self.clock.now()
        await self.jobs.renew_leases(list(self._running), owner=self.owner, until=now + self.job_lease)
        self._leader = await self.lease.hold(self.owner, seconds=self.job_lease.total_seconds() / 2)
        if self.speed is not None:
            await self.speed.sync(leader=self._leader)
        if self._leader:
            (self._registered_servers, self._providers), self._queue_paused, self._paused_servers, processing = (
                await asyncio.gather(self._registered(), self.settings.paused(), self.settings.paused_servers(),
                                     self._read_processing()))
            targets = run_targets(self._registered_servers, self._providers)
            await self.recover([j for j in processing if self._expired(j)], targets, self._adopt)
            if self.housekeeping_s == 0 or self._pending_at == float("-inf"):
                await self._window_now()  # (else the window of the rounds, at most a period old)
            await self._explain_waiting(self._usable_servers(), self._usable_providers())
        self._housekept = True

    async def _window_now(self) -> None:
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = asyncio.create_task(self._refresh_window(0))
        await asyncio.shield(self._refresh_task)

    async def _read_processing(self) -> list[QueueJob]:
        """Every running job; those of other instances are kept as `_remote` (ours are known here)."""
        here_before, self._finished_log = set(self._running_jobs), set()
        try:
            processing = await self.jobs.processing()
        finally:
            finished, self._finished_log = self._finished_log, None
        self._remote = [job for job in processing
                        if job.id not in here_before and job.id not in self._running_jobs and job.id not in finished]
        return processing

    async def _explain_waiting(self, usable: dict[str, ComfyUIServer], providers: dict[str, VideoProvider]) -> None:
        """Record on each waiting job why no server can take it, and clear the reason once one can."""
        states = [*(server_state(server, 0, None) for server in usable.values()),
                  *(provider_state(provider, 0) for provider in providers.values())]
        now = self.clock.now()
        for job in self._pending:
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
            servers = {s.id: s for s in await uow.comfyui_servers.all()}
            return servers, {p.target: p for p in await uow.video_providers.all()}

    async def _dispatch(self, servers: dict[str, ComfyUIServer], providers: dict[str, VideoProvider],
                        processing: list[QueueJob]) -> None:
        busy = Counter(job.server_id for job in processing)
        free = sum(max(s.capacity + self.prefetch - busy[s.id], 0) for s in servers.values()) + sum(
            max(p.concurrency - busy[target], 0) for target, p in providers.items())
        if free == 0:
            return
        ready = await self._ready(free)
        timing = None if self.speed is None else self.speed.timing(servers, [*ready, *processing])
        states = [*(self._server_state(s, busy[s.id], processing, timing) for s in servers.values()),
                  *(provider_state(p, busy[target]) for target, p in providers.items())]
        by_project = running_counts(processing)  # issue 14: per project and per owner (fair share by owner)
        plan = plan_dispatch(ready, states, dict(by_project), now=self.clock.now(), affinity=self.affinity,
                             timing=timing)
        jobs = {job.id: job for job in ready}
        targets = run_targets(servers, providers)
        claims = []
        for assignment in plan:
            job = jobs[assignment.job_id]
            fallback = any(s.id != assignment.server_id and s.id not in job.excluded_servers and s.offers(job)
                           for s in states)
            claims.append(self._claim_and_run(job, targets[assignment.server_id], fallback=fallback))
        await asyncio.gather(*claims)  # together: the last slot of a round does not wait for the others' claims

    def _server_state(self, server: ComfyUIServer, running: int, processing: list[QueueJob],
                      timing: Timing | None) -> ServerState:
        slots: tuple[float, ...] = ()
        if self.speed is not None and timing is not None:
            here = [job for job in processing if job.server_id == server.id]
            slots = self.speed.slots(server.capacity, here, server.id, self.clock.now(), timing.seconds)
        return server_state(server, running, self._loaded.get(server.id), prefetch=self.prefetch,
                            slots_free_in=slots)

    async def _ready(self, free: int) -> list[QueueJob]:
        """Waiting jobs due now, from the window. A read costs the database about a window's documents (the
        store reads the head of each lane, whatever the queue's length), and it is re-read only when work
        was queued here (at most once a housekeeping period),
        when it runs low (a quarter of its size, or twice the free slots) while more may wait beyond it, and
        every `window_s` (jobs queued through other instances, backoffs that ended); beside the rounds,
        except when it holds nothing due. A stale entry only costs a failed claim (claims are atomic on the
        job's version)."""
        due = self._due()
        age = time.monotonic() - self._pending_at
        low = self._window_full and len(due) < max(2 * free, self.ready_window // 4)
        stale = age >= self.window_s or (self._window_wanted and age >= self.housekeeping_s) or (
            self.housekeeping_s == 0)
        if (stale or low) and (self._refresh_task is None or self._refresh_task.done()):
            self._refresh_task = asyncio.create_task(self._refresh_window(free))
        if self._refresh_task is not None and not self._refresh_task.done() and (
                not due or self.housekeeping_s == 0):
            await asyncio.shield(self._refresh_task)  # nothing to choose from meanwhile (or in line: tests)
            due = self._due()
        return due

    def _due(self) -> list[QueueJob]:
        now = self.clock.now()
        return [job for job in self._pending if job.not_before is None or job.not_before <= now]

    async def _refresh_window(self, free: int) -> None:
        started, self._claimed_log, self._window_wanted = time.monotonic(), set(), False
        limit = max(self.ready_window, free)
        try:
            window = await self.jobs.ready(self.clock.now(), per_project=limit)
        finally:
            claimed, self._claimed_log = self._claimed_log, None
        self._pending = [job for job in window if job.id not in claimed and job.id not in self._running_jobs]
        self._pending_at, self._window_full = started, len(window) >= limit
        self._wake.set()

    async def _claim_and_run(self, job: QueueJob, target: RunTarget, *, fallback: bool) -> None:
        now = self.clock.now()
        claimed = job.claimed(server_id=target.id, owner=self.owner, lease=self.job_lease, now=now)
        self._pending = [waiting for waiting in self._pending if waiting.id != job.id]
        if self._claimed_log is not None:
            self._claimed_log.add(job.id)
        if await self.jobs.claim(job, claimed):
            self._loaded[target.id] = job.checkpoint
            server = self._registered_servers.get(target.id)
            if self.speed is not None and server is not None:
                busy = sum(1 for running in self._running_jobs.values() if running.server_id == target.id)
                self.speed.claimed(job.id, target.id, busy=busy, capacity=server.capacity)
            self._start(evolve(claimed, version=job.version + 1), target.address, adopt=False, fallback=fallback)

    def _adopt(self, job: QueueJob, url: str) -> None:
        self._start(job, url, adopt=True)

    def _start(self, job: QueueJob, url: str, *, adopt: bool, fallback: bool = True) -> None:
        task = asyncio.create_task(self._run(job, url, adopt=adopt, fallback=fallback), name=f"job {job.id}")
        self._running[job.id], self._running_jobs[job.id] = task, job

    async def _run(self, job: QueueJob, url: str, *, adopt: bool, fallback: bool) -> None:
        finished: QueueJob | None = None
        try:
            finished = await self.new_runner()(job, url, adopt=adopt, fallback=fallback)
        except Exception:  # its lease is no longer renewed, so recovery takes the job over
            log.exception("job %s crashed its runner; it will be recovered when its lease expires", job.id)
        finally:
            if self.speed is not None:
                self.speed.finished(job.id, job.server_id, finished)
            self._running.pop(job.id, None)
            self._running_jobs.pop(job.id, None)
            if self._finished_log is not None:
                self._finished_log.add(job.id)
            if finished is not None and finished.status is JobStatus.PENDING and all(
                    waiting.id != finished.id for waiting in self._pending):
                self._pending.append(finished)  # retried after its backoff: known without re-reading the window
            if job.server_id is not None and not self.prefetch:
                self._loaded[job.server_id] = job.checkpoint  # the freed slot holds this checkpoint
                # (with prefetch the slot runs the prompt already queued there: the last one sent stays)
            self._wake.set()
