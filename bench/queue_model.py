"""bench/queue.py's fleet as a discrete-event model driving the product's own policy: policy variants in seconds.

Run from the repository root: python -m bench.queue_model [--jobs 500] [--switch-delay 1.5] [--switch-s 5]
    [--overhead 0.027] [--window 200] [--warm] [--orders 5]

No process, socket or database: `domain.scheduling.plan_dispatch` and `domain.speed_model.SpeedModel` are
called as the dispatcher calls them, on a simulated clock. The fleet, mix and shuffle are bench/queue.py's
(capacities 1/2/2/3, speeds 1.6/1.0/0.8/0.6, sdxl/sd15/sd35-large 50/30/20 %). Each server keeps its own
first-in first-out queue (capacity + prefetch prompts), each slot loads a checkpoint when its next prompt needs
another (`--switch-delay`), a job takes work / speed + `--overhead` (the simulator's own time per prompt); the
dispatcher plans after every completion, from a window of `--window` waiting jobs per checkpoint (the head of
each lane, as the product reads it), learning speeds from completions (`--warm`: known from the start).
Server ids are random in the product, and the plan breaks ties by id: `--orders` runs as many id orders.
What it leaves out: database and HTTP latency (a fixed `--latency` per round), progress, retries.
The last line is the JSON summary: {"ratios": [...], "loads": [...], "median_ratio": ..., "floor": ...}.
"""

import argparse
import heapq
import itertools
import json
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

from attrs import define, field

from bench.processes import positive
from bench.queue import MIX, fleet_of, job_plan
from bench.queue_analysis import lower_bound
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.scheduling import ServerState, Timing, plan_dispatch, running_counts
from domain.speed_model import Attempt, SpeedModel, slots_free_in

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=positive(int), default=500)
    parser.add_argument("--seed", type=int, default=7, help="shuffles the job order (bench/queue.py's default)")
    parser.add_argument("--switch-delay", type=float, default=1.5, help="seconds a slot takes to change checkpoint")
    parser.add_argument("--switch-s", type=float, default=5.0, help="SCHEDULER_SWITCH_S: what the policy reckons")
    parser.add_argument("--overhead", type=float, default=0.027, help="simulator seconds per prompt beyond its work")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds from a completion to its round's prompts")
    parser.add_argument("--window", type=positive(int), default=200, help="waiting jobs per checkpoint planned from")
    parser.add_argument("--prefetch", type=int, default=1)
    parser.add_argument("--warm", action="store_true", help="speeds known from the start")
    parser.add_argument("--orders", type=positive(int), default=5, help="random orders of the server ids")
    parser.add_argument("--timeline", action="store_true", help="print each slot's checkpoints of the first order")
    return parser.parse_args()


@define
class Server:
    id: str
    capacity: int
    speed: float
    queue: list[QueueJob] = field(factory=list)  # sent, not started
    slots: list[QueueJob | None] = field(default=None)
    slot_models: list[str | None] = field(default=None)
    started: dict[str, float] = field(factory=dict)  # running job id -> start
    loaded: str | None = None  # the checkpoint of the last prompt sent (the dispatcher's memory)

    def __attrs_post_init__(self) -> None:
        self.slots = [None] * self.capacity
        self.slot_models = [None] * self.capacity


@define
class Model:
    args: argparse.Namespace
    servers: dict[str, Server]
    pending: list[QueueJob]
    speeds: SpeedModel = field(factory=SpeedModel)
    events: list[tuple[float, int, str, int, QueueJob | None]] = field(factory=list)
    order: itertools.count = field(factory=itertools.count)
    loads: int = 0
    end: float = 0.0
    timeline: list[tuple[str, int, float, str | None]] = field(factory=list)  # (server, slot, start, checkpoint)

    def start_slots(self, server: Server, now: float) -> None:
        for index, busy in enumerate(server.slots):
            if busy is None and server.queue:
                job = server.queue.pop(0)
                seconds = self.args.work / server.speed + self.args.overhead
                if server.slot_models[index] != job.checkpoint:
                    seconds += self.args.switch_delay
                    self.loads += 1
                    server.slot_models[index] = job.checkpoint
                server.slots[index], server.started[job.id] = job, now
                self.timeline.append((server.id.split("-", 1)[1], index, now, job.checkpoint))
                heapq.heappush(self.events, (now + seconds, next(self.order), server.id, index, job))

    def plan(self, now: float) -> None:
        per_checkpoint: Counter[str | None] = Counter()
        window = []
        for job in self.pending:
            if per_checkpoint[job.checkpoint] < self.args.window:
                window.append(job)
                per_checkpoint[job.checkpoint] += 1
        sent = [job for s in self.servers.values() for job in (*s.queue, *(j for j in s.slots if j is not None))]
        timing = Timing({(s, m): self.speeds.seconds(s, m) for s in self.servers for m in {j.model for j in
                                                                                          window + sent}},
                        switch_s=self.args.switch_s)
        states = [self.state(server, now, timing) for server in self.servers.values()]
        plan = plan_dispatch(window, states, dict(running_counts(sent)), now=T0, timing=timing)
        chosen = {job.id: job for job in window}
        for assignment in plan:
            job = chosen[assignment.job_id]
            self.servers[assignment.server_id].queue.append(job)
            self.servers[assignment.server_id].loaded = job.checkpoint
        taken = {assignment.job_id for assignment in plan}
        self.pending = [job for job in self.pending if job.id not in taken]
        for server in self.servers.values():
            heapq.heappush(self.events, (now + self.args.latency, next(self.order), server.id, -1, None))

    def state(self, server: Server, now: float, timing: Timing) -> ServerState:
        running = sorted(((timing.seconds[(server.id, j.model)], now - server.started[j.id])
                          for j in server.slots if j is not None), key=lambda pair: -pair[1])
        queued = [(timing.seconds[(server.id, job.model)], 0.0) for job in server.queue]
        busy = len(running) + len(queued)
        return ServerState(server.id, max(server.capacity + self.args.prefetch - busy, 0), None, server.loaded,
                           slots_free_in=slots_free_in(server.capacity, [*running, *queued]),
                           capacity=server.capacity)

    def run(self) -> float:
        self.plan(0.0)
        while self.events:
            now, _, server_id, index, job = heapq.heappop(self.events)
            server = self.servers[server_id]
            if job is not None:
                server.slots[index] = None
                seconds = now - server.started.pop(job.id)
                self.speeds = self.speeds.observed(Attempt(server_id, job.model, seconds))
                self.end = max(self.end, now)
                self.plan(now + self.args.latency)
            self.start_slots(server, now)
        return self.end


def jobs_of(args: argparse.Namespace) -> list[QueueJob]:
    """bench/queue.py's jobs, in its order."""
    return [QueueJob(id=f"job-{n:05d}", project_id="p", clip_id="c", kind=ContentKind.IMAGE, model=preset,
                     params={}, output_node="9", created_at=T0 + timedelta(milliseconds=n), updated_at=T0,
                     checkpoint=preset) for n, preset in enumerate(job_plan(args.jobs, args.seed))]


def print_timeline(timeline: list[tuple[str, int, float, str | None]]) -> None:
    """Each slot's runs of one checkpoint: first and last start, and how many jobs."""
    runs: dict[tuple[str, int], list[list]] = {}
    for server, slot, start, checkpoint in timeline:
        seq = runs.setdefault((server, slot), [])
        if seq and seq[-1][0] == checkpoint:
            seq[-1][2], seq[-1][3] = start, seq[-1][3] + 1
        else:
            seq.append([checkpoint, start, start, 1])
    for (server, slot), seq in sorted(runs.items()):
        print(f"  {server} slot {slot}: " + " | ".join(f"{c} {a:.1f}-{b:.1f} s ({n})" for c, a, b, n in seq))


def run_once(args: argparse.Namespace, order: int) -> tuple[float, int]:
    rng = random.Random(order)
    servers = {}
    for sim in fleet_of(4, "mixed"):
        server_id = f"{rng.random():.6f}-{sim.name}"
        servers[server_id] = Server(server_id, sim.capacity, sim.speed)
    speeds = SpeedModel()
    if args.warm:
        for server in servers.values():
            for preset, _ in MIX:
                speeds = speeds.observed(Attempt(server.id, preset, args.work / server.speed + args.overhead))
    model = Model(args, servers, jobs_of(args), speeds)
    end = model.run()
    if args.timeline and order == 0:
        print_timeline(model.timeline)
    return end, model.loads


def main() -> None:
    args = parse_args()
    args.work = 1.0
    fleet = fleet_of(4, "mixed")
    bound = lower_bound(args.jobs, args.work, fleet)
    slots = sum(sim.capacity for sim in fleet)
    floor = (bound + args.switch_delay + args.jobs * args.overhead / slots) / bound
    runs = [run_once(args, order) for order in range(args.orders)]
    ratios = [round(end / bound, 4) for end, _ in runs]
    loads = [count for _, count in runs]
    print(f"{args.jobs} jobs, fleet 1/2/2/3 slots at speeds 1.6/1.0/0.8/0.6, switch {args.switch_delay} s "
          f"(reckoned {args.switch_s} s), window {args.window}, speeds {'known' if args.warm else 'learned'}")
    print(f"makespan / bound over {args.orders} id orders: {ratios} (median {statistics.median(ratios):.3f}; "
          f"floor {floor:.3f}); checkpoint loads {loads} ({slots} slots' first loads included)")
    print(json.dumps({"ratios": ratios, "loads": loads, "median_ratio": statistics.median(ratios),
                      "floor": round(floor, 4)}))


if __name__ == "__main__":
    main()
