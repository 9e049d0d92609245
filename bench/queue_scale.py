"""Does dispatching cost more with a longer queue? API and database CPU per dispatched job at several queue lengths.

Run from the repository root: python -m bench.queue_scale [--queues 1000,10000] [--servers 16] [--dispatched 600]

For each queue length N it starts the fleet of bench/queue.py (`--servers` simulators in the 1/2/2/3-slot
pattern: 16 give 32 slots; affinity and the speed model on), creates `--clips` clips, each in a scene of its
own (the takes of one scene are filed one at a time: a scene's clips finishing together would race), queues
N jobs with the queue paused (batches of every clip repeated until N), resumes, and measures the
CPU seconds of the API and SecantusDB processes while the first `--dispatched` jobs complete (the queue
still holds N - dispatched waiting jobs at the end). Per dispatched job, those must not grow with N.
The last line is the JSON summary: {"queues": {N: {"api_ms": ..., "db_ms": ..., "jobs_per_s": ...}}, "growth": ...}.
"""

import argparse
import itertools
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.processes import cpu_seconds, positive
from bench.queue import API, MIX, PARAMS, Fleet, call, fleet_of, start_fleet

Json = dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queues", default="1000,10000", help="queue lengths, comma-separated")
    parser.add_argument("--servers", type=positive(int), default=16)
    parser.add_argument("--dispatched", type=positive(int), default=600, help="jobs measured at each length")
    parser.add_argument("--clips", type=positive(int), default=200, help="clips (a scene each) the jobs draw on")
    parser.add_argument("--work", type=positive(float), default=0.5)
    parser.add_argument("--switch-delay", type=float, default=0.5)
    parser.add_argument("--tick", type=positive(float), default=0.05)
    parser.add_argument("--timeout", type=positive(float), default=900.0)
    args = parser.parse_args()
    args.sims, args.patch, args.prefetch, args.keep = fleet_of(args.servers, "mixed"), "", None, False
    return args


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def queue_jobs(fleet: Fleet, jobs: int, clips: int) -> None:
    for sim in fleet.fleet:
        body = {"name": sim.name, "url": fleet.sims[sim.name].url(""), "capacity": sim.capacity}
        fleet.server_ids[call(fleet.api, "POST", f"{API}/comfyui/servers", body, expect=201)["id"]] = sim.name
    project = call(fleet.api, "POST", f"{API}/projects", {"name": "Scale bench"}, expect=201)
    clip_ids = []
    for number in range(clips):
        scene = call(fleet.api, "POST", f"{API}/scenes", {"project_id": project["id"], "name": f"Scene {number}"},
                     expect=201)["id"]
        clip_ids.append(call(fleet.api, "POST", f"{API}/clips", {
            "scene_id": scene, "name": f"Shot {number}", "length": 2.0, "timeline_position": 0.0,
            "image_prompt": f"shot {number}"}, expect=201)["id"])
    call(fleet.api, "POST", f"{API}/queue/pause", {})
    presets = itertools.cycle([preset for preset, share in MIX for _ in range(round(share * 10))])
    queued = 0
    while queued < jobs:
        body = {"model": next(presets), "clip_ids": clip_ids[:jobs - queued], "params": PARAMS}
        queued += call(fleet.api, "POST", f"{API}/generation/batch", body, expect=202)["count"]


def executed(fleet: Fleet) -> int:
    return sum(call(sim, "GET", "/sim/stats")["executed"] for sim in fleet.sims.values())


def measure(args: argparse.Namespace, jobs: int) -> Json:
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-queue-scale-")))
        fleet = start_fleet(stack, workdir, args, affinity=True, speed=True)
        say(f"{jobs} jobs: queueing (paused) over {args.clips} clips, {len(args.sims)} simulators")
        queue_jobs(fleet, jobs, args.clips)
        assert fleet.database.process is not None
        pids = {"api": fleet.api.process.pid, "db": fleet.database.process.pid}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        start = time.monotonic()
        call(fleet.api, "POST", f"{API}/queue/resume", {})
        say(f"{jobs} jobs: resumed; measuring the first {args.dispatched}")
        while (done := executed(fleet)) < args.dispatched:
            if time.monotonic() - start > args.timeout:
                raise RuntimeError(f"only {done} jobs ran within {args.timeout:.0f}s")
            time.sleep(0.2)
        elapsed = time.monotonic() - start
        cpu = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        waiting = call(fleet.api, "GET", f"{API}/queue/status")["counts"]["pending"]
        return {"api_ms": round(cpu["api"] * 1000 / done, 2), "db_ms": round(cpu["db"] * 1000 / done, 2),
                "jobs_per_s": round(done / elapsed, 2), "dispatched": done, "waiting_at_end": waiting}


def main() -> None:
    args = parse_args()
    sizes = [int(size) for size in args.queues.split(",")]
    results = {size: measure(args, size) for size in sizes}
    for size, result in results.items():
        print(f"{size:>6} queued: per dispatched job api {result['api_ms']:.1f} ms, db {result['db_ms']:.1f} ms CPU; "
              f"{result['jobs_per_s']:.1f} jobs/s over {result['dispatched']} jobs; "
              f"{result['waiting_at_end']} still waiting")
    first, last = results[sizes[0]], results[sizes[-1]]
    growth = {name: round(last[name] / first[name], 2) if first[name] else None for name in ("api_ms", "db_ms")}
    print(json.dumps({"queues": results, "growth": growth}), flush=True)


if __name__ == "__main__":
    main()
