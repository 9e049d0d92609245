"""The scheduling policy: which pending job runs next on which server. Pure: state in, assignments out.

Rules, in order:
1. A server only takes jobs it can run: it is available, has a free slot, offers the job's models, and
   the job did not already fail there (unless no other available server could ever take it). A job with a
   target (a video provider's, `provider:<id>`) runs there only, and a dedicated slot takes nothing else.
2. Priority: a server takes the highest-priority job it can run; lower priorities never overtake.
3. Fair share: among those, the project with the fewest running jobs goes first, so a 500-shot batch
   cannot starve another project's single job.
4. Model affinity: a server keeps the checkpoint it has loaded when it can (a switch costs tens of
   seconds on a GPU); when it must switch, it loads the checkpoint with most waiting work per server.
5. Then age: oldest first.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from attrs import evolve, frozen

from domain.queue_job import JobStatus, QueueJob


@frozen
class ServerState:
    id: str
    free_slots: int
    models: frozenset[str] | None = None  # None: the server's catalog is unknown, take it at its word
    loaded_checkpoint: str | None = None
    dedicated: bool = False  # takes only the jobs that target it by id (a video provider), never any other

    def offers(self, job: QueueJob) -> bool:
        if job.target is not None or self.dedicated:
            return job.target == self.id
        return self.models is None or all(model in self.models for model in job.required_models)


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
          demand: Counter[str | None] | None, loaded: Counter[str | None]) -> QueueJob:
    top = max(job.priority for job in candidates)
    pool = [job for job in candidates if job.priority == top]
    fairest = min(running[job.project_id] for job in pool)
    pool = [job for job in pool if running[job.project_id] == fairest]
    if demand is None:
        return _oldest(pool)
    same = [job for job in pool if job.checkpoint == server.loaded_checkpoint]
    if same:
        return _oldest(same)
    wanted = max({job.checkpoint for job in pool}, key=lambda c: (demand[c] / (loaded[c] + 1), str(c)))
    return _oldest([job for job in pool if job.checkpoint == wanted])


def plan_dispatch(jobs: Sequence[QueueJob], servers: Sequence[ServerState], running_by_project: dict[str, int],
                  *, now: datetime, affinity: bool = True) -> list[Assignment]:
    """Fill free slots one at a time, the server with most free slots first, until nothing fits."""
    ready = _ready(jobs, now)
    free = {server.id: server for server in servers if server.free_slots > 0}
    running = Counter(running_by_project)
    # affinity weighs checkpoints among ComfyUI servers only: a provider loads none
    loaded = Counter(server.loaded_checkpoint for server in servers if not server.dedicated) if affinity else Counter()
    waiting = Counter(job.checkpoint for job in ready if job.target is None)
    assignments: list[Assignment] = []
    while free and ready:
        server = max(free.values(), key=lambda s: (s.free_slots, s.id))
        candidates = [job for job in ready if _eligible(job, server, servers)]
        if not candidates:
            del free[server.id]
            continue
        job = _pick(server, candidates, running, waiting if affinity else None, loaded)
        assignments.append(Assignment(job.id, server.id))
        ready.remove(job)
        running[job.project_id] += 1
        waiting[job.checkpoint] -= job.target is None
        if affinity and job.checkpoint != server.loaded_checkpoint:
            loaded[server.loaded_checkpoint] -= 1
            loaded[job.checkpoint] += 1
        updated = evolve(server, free_slots=server.free_slots - 1, loaded_checkpoint=job.checkpoint)
        free[server.id] = updated
        servers = [updated if s.id == server.id else s for s in servers]
        if updated.free_slots == 0:
            del free[server.id]
    return assignments
