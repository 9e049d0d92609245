"""The dispatcher's speed model: learned from this instance's completed attempts, shared through SpeedRecords.

An attempt's time is from when a slot took it to its completion: its claim, or, for a prompt sent ahead
into a server's own queue (SCHEDULER_PREFETCH), the moment a job of that server ended and freed the slot
(a server's queue is first in, first out). An adopted attempt (another instance claimed it) counts from
its recorded claim.

Every instance observes the attempts its runners complete and stores what changed once a housekeeping period;
the leader reloads the stored estimates when it takes the lead (another instance may have learned meanwhile),
so a restart or a change of leader starts from what the fleet learned, not from the prior.
"""

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from attrs import define, field

from application.ports.speed_records import SpeedRecords
from domain.queue_job import JobStatus, QueueJob
from domain.scheduling import Timing
from domain.speed_model import Attempt, SpeedModel, slots_free_in
from domain.video_provider import provider_of


@define
class SpeedTracker:
    records: SpeedRecords
    model: SpeedModel = field(factory=SpeedModel)
    switch_s: float = 5.0  # what a checkpoint switch is reckoned to add to a job
    _dirty: set[tuple[str, str]] = field(factory=set)
    _starts: dict[str, float] = field(factory=dict)  # job id -> monotonic time a slot took it
    _queued: dict[str, list[str]] = field(factory=dict)  # server id -> ids waiting in its own queue, oldest first
    _loaded_as_leader: bool = False

    def claimed(self, job_id: str, server_id: str, *, busy: int, capacity: int) -> None:
        """A job was sent to a server that ran `busy` jobs of ours: it starts now, or waits in the server's queue."""
        if busy < capacity:
            self._starts[job_id] = time.monotonic()
        else:
            self._queued.setdefault(server_id, []).append(job_id)

    def finished(self, job_id: str, server_id: str | None, outcome: QueueJob | None) -> None:
        """A runner here ended (any outcome): its slot passes to the oldest prompt queued there; learn from it."""
        now, started = time.monotonic(), self._starts.pop(job_id, None)
        queue = self._queued.get(server_id or "", [])
        if job_id in queue:
            queue.remove(job_id)
        elif queue:
            self._starts[queue.pop(0)] = now
        self.observe(outcome, seconds=None if started is None else now - started)

    def observe(self, job: QueueJob | None, *, seconds: float | None = None) -> None:
        """Learn from a completed ComfyUI attempt; without `seconds`, from its recorded claim to completion."""
        if (job is None or job.status is not JobStatus.COMPLETED or job.server_id is None
                or provider_of(job.server_id) is not None):
            return
        if seconds is None:
            if job.started_at is None or job.completed_at is None:
                return
            seconds = (job.completed_at - job.started_at).total_seconds()
        self.model = self.model.observed(Attempt(job.server_id, job.model, seconds))
        self._dirty.add((job.server_id, job.model))

    async def sync(self, *, leader: bool) -> None:
        """Store what was learned here; on taking the lead, first read what every instance stored."""
        if leader and not self._loaded_as_leader:
            stored = await self.records.load()
            self.model = SpeedModel({**stored, **{k: self.model.estimates[k] for k in self._dirty}},
                                    alpha=self.model.alpha, prior_s=self.model.prior_s)
        self._loaded_as_leader = leader
        if self._dirty:
            dirty, self._dirty = self._dirty, set()
            await self.records.save({key: self.model.estimates[key] for key in dirty})

    def forget(self, server_id: str) -> None:
        """The server was unregistered: drop what was learned of it here, so no later sync stores it again."""
        self.model = SpeedModel({k: v for k, v in self.model.estimates.items() if k[0] != server_id},
                                alpha=self.model.alpha, prior_s=self.model.prior_s)
        self._dirty = {key for key in self._dirty if key[0] != server_id}

    def timing(self, server_ids: Iterable[str], jobs: Iterable[QueueJob]) -> Timing:
        models = {job.model for job in jobs}
        return Timing({(s, m): self.model.seconds(s, m) for s in server_ids for m in models}, switch_s=self.switch_s)

    def slots(self, capacity: int, running: Sequence[QueueJob], server_id: str, now: datetime,
              timing: Mapping[tuple[str, str], float]) -> tuple[float, ...]:
        """Seconds until each slot of the server frees, from its running jobs' claim times."""
        ordered = sorted(running, key=lambda job: job.started_at or now)
        return slots_free_in(capacity, [
            (timing.get((server_id, job.model)) or self.model.seconds(server_id, job.model),
             (now - (job.started_at or now)).total_seconds()) for job in ordered])
