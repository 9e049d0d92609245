"""The scheduling policy: which pending job runs next on which server. Pure: state in, assignments out.

Rules, in order:
1. A server only takes jobs it can run: it is available, has a free slot, offers the job's models, and
   the job did not already fail there (unless no other available server could ever take it). A job with a
   target (a video provider's, `provider:<id>`) runs there only, and a dedicated slot takes nothing else.
2. Priority: a server takes the highest-priority job it can run; lower priorities never overtake.
3. Fair share: among those, the owner (a credential's subject) with the fewest running jobs goes first, then
   the project with the fewest, so a 500-shot batch cannot starve another project's (or user's) single job.
4. Model affinity: a server keeps the checkpoint it has loaded when it can (a switch costs tens of
   seconds on a GPU); when it must switch, it loads the checkpoint with most waiting work per unit of
   throughput already on it: a server weighs its slots, times its speed when `Timing` knows it (a fast
   server with three slots counts for more than a slow one with one), so the checkpoints' shares of the
   fleet follow their shares of the work and few servers must switch before the end.
5. Then age: oldest first.
6. Speed (given `Timing`, estimated seconds per server and model): the job a server picks goes where it is
   estimated to finish first. When a strictly faster server would finish it sooner (its earliest slot's
   remaining time, plus its time for the job, plus a checkpoint switch if it holds another), the job goes
   there now if that server has a free slot, else it is held for it this round (it waits: near the end of a
   queue a fast server that frees soon beats a slow one that is free now), but only if that busy server is
   strictly faster than every free slot the job may run on and clearly sooner there: a job never idles beside
   a free slot for a server merely as fast. While a job is held, the servers
   it could run on take nothing of lower priority. With equal times everywhere nothing is ever moved or
   held: the plan is the one without `Timing`.
"""

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from attrs import evolve, frozen

from domain.comfyui_server import ModelRules
from domain.queue_job import MAX_PRIORITY, JobStatus, QueueJob


@frozen
class ServerState:
    id: str
    free_slots: int
    models: frozenset[str] | None = None  # None: the server's catalog is unknown, take it at its word
    loaded_checkpoint: str | None = None
    dedicated: bool = False  # takes only the jobs that target it by id (a video provider), never any other
    slots_free_in: tuple[float, ...] = ()  # estimated seconds until each slot frees (0: free; only with Timing)
    rules: ModelRules | None = None  # the server's allow/deny list (presets and model kinds)
    capacity: int = 1  # its slots: what it weighs among the servers holding a checkpoint

    def offers(self, job: QueueJob) -> bool:
        if job.target is not None or self.dedicated:
            return job.target == self.id
        if self.rules is not None and not self.rules.permits(job.model, job.kind.value):
            return False
        return self.models is None or all(model in self.models for model in job.required_models)


@frozen
class Timing:
    """Estimated seconds of a job per (server id, job model), and what a checkpoint switch adds."""

    seconds: Mapping[tuple[str, str], float]
    switch_s: float = 0.0
    margin: float = 0.05  # a move or hold needs the other server to be this much (relative) sooner

    def of(self, server: ServerState, job: QueueJob) -> float:
        switch = self.switch_s if job.checkpoint is not None and job.checkpoint != server.loaded_checkpoint else 0.0
        return self.seconds.get((server.id, job.model), 0.0) + (0.0 if server.dedicated else switch)


@frozen
class Assignment:
    job_id: str
    server_id: str


def _ready(jobs: Sequence[QueueJob], now: datetime) -> list[QueueJob]:
    return [j for j in jobs if j.status is JobStatus.PENDING and (j.not_before is None or j.not_before <= now)]


def _eligible(job: QueueJob, server: ServerState, servers: Sequence[ServerState]) -> bool:
    if not server.offers(job):
        return False
    if server.id not in job.excluded_servers:
        return True
    return all(s.id in job.excluded_servers for s in servers if s.offers(job))  # nowhere else to go


def _oldest(jobs: list[QueueJob]) -> QueueJob:
    return min(jobs, key=lambda job: (job.created_at, job.id))


def _pick(server: ServerState, candidates: list[QueueJob], running: Counter[str],
          demand: Counter[str | None] | None, loaded: dict[str | None, float], weight: float) -> QueueJob:
    top = max(job.priority for job in candidates)
    pool = [job for job in candidates if job.priority == top]
    fairest = min(_share(running, job) for job in pool)
    pool = [job for job in pool if _share(running, job) == fairest]
    if demand is None:
        return _oldest(pool)
    same = [job for job in pool if job.checkpoint == server.loaded_checkpoint]
    if same:
        return _oldest(same)
    wanted = max({job.checkpoint for job in pool},
                 key=lambda c: (demand[c] / (loaded.get(c, 0.0) + weight), str(c)))
    return _oldest([job for job in pool if job.checkpoint == wanted])


# --- fair share by owner (issue 14): owners first, then projects; owners are counted in `running_by_project`
# under "owner <subject>" (no project id holds a space). Jobs without an owner (authentication off) share by
# project alone, as before.
def _owner_key(owner: str) -> str:
    return f"owner {owner}"


def running_counts(running: Sequence[QueueJob]) -> Counter[str]:
    """What `plan_dispatch` takes as `running_by_project`: running jobs per project, and per owner."""
    return Counter([*(job.project_id for job in running),
                    *(_owner_key(job.owner) for job in running if job.owner is not None)])


def _share(running: Counter[str], job: QueueJob) -> tuple[int, int]:
    return (0 if job.owner is None else running[_owner_key(job.owner)], running[job.project_id])
# --- end of fair share by owner ---


# Jobs held this round for a busy faster server: the servers each could run on take no lower priority. Kept as
# the floor each server has (server id -> the highest priority held for it), so a look-up is one step.
Held = dict[str, int]


def _finish_in(server: ServerState, job: QueueJob, timing: Timing, slots: dict[str, list[float]]) -> float:
    """Estimated seconds until `job` would be done on `server`: its earliest slot frees, then the job runs."""
    return (slots[server.id][0] if slots[server.id] else 0.0) + timing.of(server, job)


def _hold(held: Held, job: QueueJob, servers: Sequence[ServerState]) -> None:
    for server in servers:
        if _eligible(job, server, servers):
            held[server.id] = max(held.get(server.id, job.priority), job.priority)


def _unheld(job: QueueJob, server: ServerState, servers: Sequence[ServerState], held: Held) -> bool:
    """Whether `job` may run on `server`: eligible, and the server is not kept for a held job of higher priority."""
    floor = held.get(server.id)
    return _eligible(job, server, servers) and (floor is None or floor <= job.priority)


def _open_to(job: QueueJob, server: ServerState, servers: Sequence[ServerState], held: Held,
             ready: Sequence[QueueJob], top: int) -> bool:
    """Whether `job` may move to `server` (a free slot is never given to it over a job of higher priority;
    `top`: no waiting job's priority is above it)."""
    return _unheld(job, server, servers, held) and (
        server.free_slots == 0 or top <= job.priority or _top_priority(server, ready, servers) <= job.priority)


def _worth_waiting(job: QueueJob, busy: ServerState, servers: Sequence[ServerState], timing: Timing,
                   slots: dict[str, list[float]], held: Held) -> bool:
    """Hold `job` for `busy` only if it is strictly faster than every free slot the job may run on, and sooner."""
    at = _finish_in(busy, job, timing, slots)
    seconds = timing.seconds.get((busy.id, job.model), 0.0)
    return all(seconds < timing.seconds.get((free.id, job.model), 0.0)
               and at < _finish_in(free, job, timing, slots) * (1 - timing.margin)
               for free in servers if free.free_slots > 0 and _unheld(job, free, servers, held))


def _faster_place(job: QueueJob, chooser: ServerState, servers: Sequence[ServerState], timing: Timing,
                  slots: dict[str, list[float]], held: Held,
                  ready: Sequence[QueueJob], top: int) -> ServerState | None:
    """A strictly faster server where `job` is estimated to finish clearly sooner than on `chooser` (None: keep).

    A busy one wins only when waiting for it beats every free slot open to the job: a job never idles beside a
    free slot unless a strictly faster server is estimated to finish it sooner."""
    own_time = timing.seconds.get((chooser.id, job.model), 0.0)
    limit = _finish_in(chooser, job, timing, slots) * (1 - timing.margin)
    places = [server for server in servers
              if server.id != chooser.id and _open_to(job, server, servers, held, ready, top)
              and timing.seconds.get((server.id, job.model), 0.0) < own_time  # equal times: the old plan
              and _finish_in(server, job, timing, slots) < limit]
    busy = [s for s in places if s.free_slots == 0 and _worth_waiting(job, s, servers, timing, slots, held)]
    free = [s for s in places if s.free_slots > 0]
    return min(busy or free, key=lambda s: _finish_in(s, job, timing, slots), default=None)


def _top_priority(server: ServerState, ready: Sequence[QueueJob], servers: Sequence[ServerState]) -> int:
    return max((job.priority for job in ready if _eligible(job, server, servers)), default=-MAX_PRIORITY)


def _weights(servers: Sequence[ServerState], timing: Timing | None) -> dict[str, float]:
    """What each server weighs among those holding a checkpoint: its slots, divided by its mean estimated
    seconds per job where `Timing` knows them (alike servers weigh alike: the plan without speeds)."""
    seconds: dict[str, list[float]] = {}
    for (server_id, _model), value in (timing.seconds.items() if timing else ()):
        if value > 0:
            seconds.setdefault(server_id, []).append(value)
    return {server.id: max(server.capacity, 1) / (sum(seconds[server.id]) / len(seconds[server.id])
                                                  if server.id in seconds else 1.0) for server in servers}


def _take_slot(slots: dict[str, list[float]], server: ServerState, seconds: float) -> None:
    if slots[server.id]:
        heapq.heapreplace(slots[server.id], slots[server.id][0] + seconds)


def plan_dispatch(jobs: Sequence[QueueJob], servers: Sequence[ServerState], running_by_project: dict[str, int],
                  *, now: datetime, affinity: bool = True, timing: Timing | None = None) -> list[Assignment]:
    """Fill free slots one at a time, the server with most free slots first, until nothing fits."""
    ready = _ready(jobs, now)
    free = {server.id: server for server in servers if server.free_slots > 0}
    slots = {server.id: sorted(server.slots_free_in) for server in servers}
    held: Held = {}
    top = max((job.priority for job in ready), default=-MAX_PRIORITY)  # the remaining jobs' never rises
    running = Counter(running_by_project)
    # affinity weighs checkpoints among ComfyUI servers only: a provider loads none
    weights = _weights(servers, timing)
    loaded: dict[str | None, float] = {}
    for comfyui in (server for server in servers if affinity and not server.dedicated):
        loaded[comfyui.loaded_checkpoint] = loaded.get(comfyui.loaded_checkpoint, 0.0) + weights[comfyui.id]
    waiting = Counter(job.checkpoint for job in ready if job.target is None)
    assignments: list[Assignment] = []
    while free and ready:
        server = max(free.values(), key=lambda s: (s.free_slots, s.id))
        floor = held.get(server.id)
        candidates = [job for job in ready if _eligible(job, server, servers) and (floor is None or job.priority >= floor)]
        if not candidates:
            del free[server.id]
            continue
        job = _pick(server, candidates, running, waiting if affinity else None, loaded, weights[server.id])
        ready.remove(job)
        running.update(running_counts([job]))
        waiting[job.checkpoint] -= job.target is None
        place = None if timing is None else _faster_place(job, server, servers, timing, slots, held, ready, top)
        if place is not None and place.id not in free:
            _hold(held, job, servers)
            _take_slot(slots, place, timing.of(place, job) if timing else 0.0)
            continue
        if place is not None:
            server = free[place.id]
        assignments.append(Assignment(job.id, server.id))
        if timing is not None:
            _take_slot(slots, server, timing.of(server, job))
        if affinity and job.checkpoint != server.loaded_checkpoint and not server.dedicated:
            loaded[server.loaded_checkpoint] = loaded.get(server.loaded_checkpoint, 0.0) - weights[server.id]
            loaded[job.checkpoint] = loaded.get(job.checkpoint, 0.0) + weights[server.id]
        updated = evolve(server, free_slots=server.free_slots - 1, loaded_checkpoint=job.checkpoint)
        free[server.id] = updated
        servers = [updated if s.id == server.id else s for s in servers]
        if updated.free_slots == 0:
            del free[server.id]
    return assignments
