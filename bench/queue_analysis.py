"""Pure arithmetic of bench/queue.py: the lower bound, slot gaps matched per server, percentiles.

Times are seconds on one machine-wide monotonic clock: the simulators stamp `time.monotonic()`, and the
product's wall-clock stamps (`completed_at`, milliseconds) are moved onto it with one measured offset.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from attrs import frozen


@frozen
class SimServer:
    """One simulator of the fleet: `speed` divides the reference latencies (2.0 = twice as fast)."""

    name: str
    capacity: int
    speed: float


def lower_bound(jobs: int, work_s: float, servers: Sequence[SimServer]) -> float:
    """Total work over total capacity, no switches: jobs * work / sum(capacity * speed)."""
    return jobs * work_s / sum(server.capacity * server.speed for server in servers)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 500 values is the 495th smallest); NaN if empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def to_epoch(stamp: str) -> float:
    """An ISO-8601 stamp from the API (UTC when it carries no zone) as epoch seconds."""
    moment = datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def dispatch_gaps(start: float, capacity: int, received: Iterable[float],
                  product_freed: Iterable[float]) -> list[float]:
    """Per /prompt a server received: how long after a slot was free in the product's view it arrived.

    Matched first-in first-out: the product keeps at most `capacity` (as registered) prompts on a
    server, so its (capacity + k)-th prompt can only be sent once k + 1 of that server's jobs left the
    processing state: the k-th such release (0-based) is the one that prompt waited for. The first
    `capacity` prompts waited from `start` (every job was ready and every slot free then).
    """
    arrivals, freed = sorted(received), sorted(product_freed)
    gaps = []
    for index, arrival in enumerate(arrivals):
        if index < capacity:
            gaps.append(arrival - start)
        elif index - capacity < len(freed):
            gaps.append(arrival - freed[index - capacity])
    return gaps


def slot_idle(start: float, prompts: Iterable[tuple[int, float, float]]) -> list[float]:
    """Per prompt a simulator executed, how long its slot had stood idle: from the slot's previous
    prompt finishing (or from `start` for its first) to this one starting. `prompts`: (slot, started,
    finished); a prompt's own checkpoint switch falls inside started..finished, so it is not idle time.
    """
    by_slot: dict[int, list[tuple[float, float]]] = {}
    for slot, started, finished in prompts:
        by_slot.setdefault(slot, []).append((started, finished))
    gaps = []
    for runs in by_slot.values():
        previous_end = start
        for started, finished in sorted(runs):
            gaps.append(started - previous_end)
            previous_end = finished
    return gaps


@frozen
class SlotTime:
    """Where the slots' time went between `start` and the makespan's end, in slot-seconds."""

    work: float       # the configured node latencies of the prompts run
    switches: float   # checkpoint loads (switch delay each, cold loads included)
    simulator: float  # the rest of the prompts' run time: rendering, saving, the history delay
    between: float    # a slot idle before a prompt started (from `start`, or its previous prompt's end)
    tail: float       # a slot idle after its last prompt, or all along if never used

    @property
    def total(self) -> float:
        return self.work + self.switches + self.simulator + self.between + self.tail


def slot_time(start: float, end: float, capacity: int, runs: Iterable[tuple[int, float, float, float]],
              switches: int, switch_delay: float) -> SlotTime:
    """`runs`: (slot, started, finished, configured work) of each prompt of one simulator."""
    by_slot: dict[int, list[tuple[float, float, float]]] = {}
    for slot, started, finished, work in runs:
        by_slot.setdefault(slot, []).append((started, finished, work))
    work = running = between = tail = 0.0
    for prompts in by_slot.values():
        previous_end = start
        for started, finished, seconds in sorted(prompts):
            between += started - previous_end
            running += finished - started
            work += seconds
            previous_end = finished
        tail += max(end - previous_end, 0.0)
    tail += (capacity - len(by_slot)) * (end - start)
    loading = switches * switch_delay
    return SlotTime(work, loading, running - work - loading, between, tail)


def duplicated_jobs(executions: Iterable[str], job_of_prompt: dict[str, str]) -> dict[str, int]:
    """Jobs whose prompt ran more than once, on any server, under any attempt: {job id: runs}.

    `executions` holds one prompt id per execution a simulator reported; `job_of_prompt` maps every
    attempt's prompt id (the product derives it from the job id and attempt) to its job.
    """
    runs = Counter(job_of_prompt[prompt_id] for prompt_id in executions if prompt_id in job_of_prompt)
    return {job_id: count for job_id, count in runs.items() if count > 1}
