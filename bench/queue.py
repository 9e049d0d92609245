"""The generation queue over a fleet: makespan against its lower bound, with and without model affinity.

Run from the repository root: python -m bench.queue [--jobs 500] [--work 1.0] [--switch-delay 1.5] [--prefetch N]
    [--servers 4] [--fleet mixed|equal] [--speed both|on|off] [--runs both|on|off]

Each run (affinity on with the speed model, affinity on without it, affinity off with it; `--runs` and
`--speed` choose) starts its own SecantusDB, `--servers` ComfyUI simulators (separate processes; the pattern
capacities 1, 2, 2, 3 and speeds 1.6, 1.0, 0.8, 0.6 repeated, or speed 1.0 everywhere with `--fleet equal`; a
checkpoint switch delay on every slot) and the product (`python -m entrypoints.cli serve`, ACCESS_LOG=false,
DISPATCH_TICK_S=--tick, SCHEDULER_AFFINITY and SCHEDULER_SPEED true or false, SCHEDULER_PREFETCH=--prefetch if
given); registers the simulators, creates one clip per job, pauses
the queue, queues every job (sdxl, sd15 and sd35-large: three checkpoints, shuffled), then resumes the
queue and waits for the last job. Nothing else talks to the product meanwhile (the bench watches the
simulators' GET /sim/stats).

Definitions (times on the machine's monotonic clock; the jobs' `completed_at` is moved onto it):
- work of a job on a server = the sum of its workflow's configured node latencies there = KSampler
  `--work` / the server's speed (every other node is configured at 0 s); the same for all three presets.
- lower bound = jobs x work / sum(capacity x speed): total work over total capacity, no switches.
- makespan = from the resume request to the last job's `completed_at`; ratio = makespan / lower bound.
- dispatch = for each /prompt a server received, the time since the product freed the slot it took
  (matched first in, first out per server: the (capacity + prefetch + k)-th prompt waited for the k-th
  job of that server to be saved completed), or since the resume for the first capacity + prefetch.
- slot idle = for each prompt, the time its simulator slot stood idle before it started.
- lost = jobs queued but not completed; duplicated = jobs whose prompt ran more than once, over every
  simulator and attempt (the simulators' stats; a prompt's id is derived from its job id and attempt).
The last line is the JSON summary; its dispatch figures are those of the main run (affinity and speed model on).
"""

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from attrs import astuple, define, field

from adapters.mongo.embedded_server import EmbeddedSecantus, free_port
from bench.processes import Server, cpu_seconds, positive, start_server, wait_until_ok
from bench.queue_analysis import (
    SimServer, SlotTime, dispatch_gaps, duplicated_jobs, lower_bound, percentile, slot_idle, slot_time, to_epoch,
)
from domain.prompt_ids import attempt_prompt_id
from entrypoints.settings import load_settings

API = "/api/v1"
DB_NAME = "storycanvas_queue_bench"
PATTERN = ((1, 1.6), (2, 1.0), (2, 0.8), (3, 0.6))  # (capacity, speed) of the four simulators, repeated


def fleet_of(servers: int, kind: str) -> tuple[SimServer, ...]:
    """`servers` simulators in the pattern's capacities; its speeds, or 1.0 everywhere for an `equal` fleet."""
    return tuple(SimServer(f"sim-{chr(97 + i % 26)}{i // 26 or ''}", PATTERN[i % 4][0],
                           PATTERN[i % 4][1] if kind == "mixed" else 1.0) for i in range(servers))


MIX = (("sdxl", 0.5), ("sd15", 0.3), ("sd35-large", 0.2))  # three checkpoints (CheckpointLoaderSimple)
PARAMS = {"width": 512, "height": 512, "steps": 8}  # small pictures: the simulator's rendering stays cheap
Json = dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=positive(int), default=500)
    parser.add_argument("--work", type=positive(float), default=1.0,
                        help="KSampler seconds of one job on a speed-1.0 server (the reference work)")
    parser.add_argument("--switch-delay", type=float, default=1.5, help="seconds a slot takes to change checkpoint")
    parser.add_argument("--tick", type=positive(float), default=0.05, help="DISPATCH_TICK_S of the product")
    parser.add_argument("--seed", type=int, default=7, help="shuffles the job order")
    parser.add_argument("--runs", choices=("both", "on", "off"), default="both", help="affinity on, off, or both")
    parser.add_argument("--speed", choices=("both", "on", "off"), default="both",
                        help="the speed model (SCHEDULER_SPEED) on, off, or both (the affinity-off run has it on)")
    parser.add_argument("--servers", type=positive(int), default=4, help="simulators, in the pattern 1/2/2/3 slots")
    parser.add_argument("--fleet", choices=("mixed", "equal"), default="mixed",
                        help="mixed: speeds 1.6/1.0/0.8/0.6 in the pattern; equal: every simulator at speed 1.0")
    parser.add_argument("--timeout", type=positive(float), default=600.0, help="seconds one run may take")
    parser.add_argument("--patch", default="", metavar="NAMES",
                        help="run the product traced or with a suggested change (comma-separated: trace, "
                             "progress; see bench/queue_whatif.py); the product's files are not changed")
    parser.add_argument("--prefetch", type=int, default=None, metavar="N",
                        help="SCHEDULER_PREFETCH of the product: prompts kept waiting in each server's own queue "
                             "beyond its capacity (default: the product's default)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs) and print its path")
    args = parser.parse_args()
    args.sims = fleet_of(args.servers, args.fleet)
    return args


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def call(server: Server, method: str, path: str, body: Json | None = None, *, expect: int = 200) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url(path), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    except urllib.error.URLError as exc:
        raise RuntimeError(f"{method} {server.url(path)} ({server.name}) failed: {exc}; see {server.log}") from exc
    if status != expect:
        raise RuntimeError(f"{method} {path} answered {status}, expected {expect}: {payload[:500]!r}")
    return json.loads(payload) if payload else None


def clock_offset() -> float:
    """Epoch seconds minus monotonic seconds, the median of a few paired readings."""
    readings = []
    for _ in range(9):
        before = time.monotonic()
        wall = time.time()
        readings.append(wall - (before + time.monotonic()) / 2)
    return statistics.median(readings)


@define
class Fleet:
    """The processes of one run and what they were told."""

    database: EmbeddedSecantus
    api: Server
    sims: dict[str, Server]
    prefetch: int  # the product's SCHEDULER_PREFETCH: prompts per server beyond its capacity
    fleet: tuple[SimServer, ...]
    server_ids: dict[str, str] = field(factory=dict)  # product server id -> simulator name


def start_fleet(stack: ExitStack, workdir: Path, args: argparse.Namespace, *, affinity: bool, speed: bool) -> Fleet:
    database = EmbeddedSecantus(workdir / "db")
    stack.callback(database.stop)
    database.start()
    sims = {}
    for sim in args.sims:
        port = free_port()
        latency = args.work / sim.speed
        command = ["simulators.comfyui", "--port", str(port), "--root", str(workdir / sim.name),
                   "--capacity", str(sim.capacity), "--latency", "0", "--node-latency", f"KSampler={latency:.6f}",
                   "--model-switch-delay", str(args.switch_delay)]
        server = start_server(sim.name, command, port=port, log=workdir / f"{sim.name}.log")
        stack.callback(server.stop)
        sims[sim.name] = server
    port = free_port()
    env = dict(os.environ, MONGO_URL=database.url, DB_NAME=DB_NAME, BACKEND_HOST="127.0.0.1", BACKEND_PORT=str(port),
               UPLOAD_DIR=str(workdir / "uploads"), DATA_DIR=str(workdir / "data"), ACCESS_LOG="false",
               COMFYUI_HEALTH_INTERVAL_S="0", DISPATCH_TICK_S=str(args.tick),
               SCHEDULER_AFFINITY="true" if affinity else "false", SCHEDULER_SPEED="true" if speed else "false",
               BENCH_QUEUE_PATCHES=args.patch,
               BENCH_QUEUE_TRACE=str(workdir / "trace.json"))
    if args.prefetch is not None:
        env["SCHEDULER_PREFETCH"] = str(args.prefetch)
    module = "bench.queue_whatif" if args.patch else "entrypoints.cli"
    api = start_server("api", [module, "serve"], port=port, log=workdir / "api.log", env=env)
    stack.callback(api.stop)
    for server in sims.values():
        wait_until_ok(server, "/system_stats")
    wait_until_ok(api, f"{API}/health")
    return Fleet(database, api, sims, load_settings(env).scheduler_prefetch, args.sims)


def job_plan(count: int, seed: int) -> list[str]:
    """Each job's preset, in queueing order: the mix's shares, shuffled."""
    presets = [preset for preset, share in MIX for _ in range(round(count * share))]
    presets = (presets + [MIX[0][0]] * count)[:count]
    random.Random(seed).shuffle(presets)
    return presets


def prepare(fleet: Fleet, presets: list[str]) -> None:
    """Register the simulators, create one clip per job, pause the queue and queue every job."""
    api = fleet.api
    for sim in fleet.fleet:
        body = {"name": sim.name, "url": fleet.sims[sim.name].url(""), "capacity": sim.capacity}
        registered = call(api, "POST", f"{API}/comfyui/servers", body, expect=201)
        fleet.server_ids[registered["id"]] = sim.name
    project = call(api, "POST", f"{API}/projects", {"name": "Queue bench", "description": "500 shots"}, expect=201)
    clips = []
    for number in range(len(presets)):
        if number % 50 == 0:
            scene = call(api, "POST", f"{API}/scenes", {"project_id": project["id"], "name": f"Scene {number // 50}"},
                         expect=201)
        body = {"scene_id": scene["id"], "name": f"Shot {number}", "length": 2.0,
                "timeline_position": number % 50 * 4.0,
                "image_prompt": f"wide cinematic shot {number}, golden hour, 35mm film grain"}
        clips.append(call(api, "POST", f"{API}/clips", body, expect=201)["id"])
    call(api, "POST", f"{API}/queue/pause", {})
    queued = 0
    for preset, group in itertools.groupby(zip(presets, clips, strict=True), key=lambda pair: pair[0]):
        ids = [clip for _, clip in group]
        batch = call(api, "POST", f"{API}/generation/batch", {"model": preset, "clip_ids": ids, "params": PARAMS},
                     expect=202)
        queued += batch["count"]
    if queued != len(presets):
        raise RuntimeError(f"queued {queued} jobs, expected {len(presets)}")


def wait_done(fleet: Fleet, jobs: int, timeout: float) -> None:
    """Watch the simulators (cheap, off the product's database) until they ran every job, then the product."""
    deadline = time.monotonic() + timeout
    polls = 0
    while True:
        executed = sum(call(sim, "GET", "/sim/stats")["executed"] for sim in fleet.sims.values())
        if executed >= jobs or polls % 20 == 19:  # every 10 s regardless, in case jobs failed
            counts = call(fleet.api, "GET", f"{API}/queue/status")["counts"]
            if counts["pending"] == counts["processing"] == 0 and sum(counts.values()) >= jobs:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the queue did not drain within {timeout:.0f}s ({executed} prompts executed)")
        polls += 1
        time.sleep(0.5 if executed < jobs else 0.1)


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine spent busy since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def idle_cpu(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """CPU share (1.0 = one core) of each process over `seconds` of the paused queue."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    return {name: (cpu_seconds(pid) - before[name]) / seconds for name, pid in pids.items()}


def all_jobs(fleet: Fleet) -> list[Json]:
    jobs: list[Json] = []
    while True:
        page = call(fleet.api, "GET", f"{API}/queue/jobs?limit=500&skip={len(jobs)}")
        items = page["items"] if isinstance(page, dict) else page
        jobs += items
        if len(items) < 500:
            return jobs


def run_once(args: argparse.Namespace, *, affinity: bool, speed: bool, presets: list[str]) -> Json:
    label = f"affinity {'on' if affinity else 'off'}, speed model {'on' if speed else 'off'}"
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="storycanvas-queue-bench-")) if args.keep else Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-queue-bench-")))
        say(f"{label}: starting the database, {len(args.sims)} simulators and the API in {workdir}")
        fleet = start_fleet(stack, workdir, args, affinity=affinity, speed=speed)
        say(f"{label}: registering, creating {len(presets)} clips, queueing {len(presets)} jobs (paused)")
        prepare(fleet, presets)
        assert fleet.database.process is not None
        pids = {"api": fleet.api.process.pid, "db": fleet.database.process.pid,
                **{name: sim.process.pid for name, sim in fleet.sims.items()}}
        paused = idle_cpu({"api": pids["api"], "db": pids["db"]}, 3.0)
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        machine_before, bench_before = machine_busy_seconds(), own_cpu_seconds()
        offset = clock_offset()
        start = time.monotonic()
        call(fleet.api, "POST", f"{API}/queue/resume", {})
        say(f"{label}: resumed; waiting for {len(presets)} jobs")
        wait_done(fleet, len(presets), args.timeout)
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        cpu["bench"] = own_cpu_seconds() - bench_before
        elapsed = time.monotonic() - start
        others = machine_busy_seconds() - machine_before - sum(cpu.values())
        stats = {name: call(sim, "GET", "/sim/stats") for name, sim in fleet.sims.items()}
        jobs = all_jobs(fleet)
        result = measure(fleet, jobs, stats, start=start, offset=offset, args=args)
        result["ratio"] = result["makespan_s"] / result["bound_s"]
        result["cpu_s"] = cpu
        result["paused_cpu"] = paused
        result["other_cores"] = max(others, 0.0) / elapsed
        result["label"], result["affinity"], result["speed"] = label, affinity, speed
        result["prefetch"] = fleet.prefetch
        if "trace" in args.patch.split(","):
            fleet.api.stop()  # the trace is written as the process exits
            window = (start, start + result["makespan_s"])
            result["trace"] = {label: [ms for end, ms in samples if window[0] <= end <= window[1]]
                               for label, samples in json.loads((workdir / "trace.json").read_text()).items()}
        if args.keep:
            say(f"{label}: logs kept in {workdir}")
        return result


def measure(fleet: Fleet, jobs: list[Json], stats: dict[str, Json], *, start: float, offset: float,
            args: argparse.Namespace) -> Json:
    """Makespan, slot gaps, where the slot time went, and the lost/duplicated counts of one run."""
    completed = [job for job in jobs if job["status"] == "completed"]
    freed_at = {job["id"]: to_epoch(job["completed_at"]) - offset for job in completed}
    end = max(freed_at.values(), default=start)
    by_sim: dict[str, list[float]] = {name: [] for name in fleet.sims}
    for job in completed:
        by_sim[fleet.server_ids[job["server_id"]]].append(freed_at[job["id"]])
    dispatch, idle, collect, runtime, executions = [], [], [], [], []
    reruns = 0
    slots = SlotTime(0, 0, 0, 0, 0)
    job_of_prompt = {attempt_prompt_id(job["id"], attempt): job["id"]
                     for job in jobs for attempt in range(1, job.get("attempt", 1) + 1)}
    for sim in args.sims:
        prompts = stats[sim.name]["prompts"]
        ran = [p for p in prompts if p["finished"] is not None]
        work = args.work / sim.speed
        dispatch += dispatch_gaps(start, sim.capacity + fleet.prefetch, [p["received"] for p in prompts],
                                  by_sim[sim.name])
        idle += slot_idle(start, [(p["slot"], p["started"], p["finished"]) for p in ran])
        used = slot_time(start, end, sim.capacity, [(p["slot"], p["started"], p["finished"], work) for p in ran],
                         stats[sim.name]["model_switches"], args.switch_delay)
        slots = SlotTime(*(a + b for a, b in zip(astuple(slots), astuple(used), strict=True)))
        executions += [p["prompt_id"] for p in prompts if p["started"] is not None]
        for prompt in ran:
            runtime.append(prompt["finished"] - prompt["started"] - work)
            job_id = job_of_prompt.get(prompt["prompt_id"])
            if job_id in freed_at:
                collect.append(freed_at[job_id] - prompt["finished"])
        reruns += max(stats[sim.name]["executed"] - len(ran), 0)  # a prompt id run twice on one server
    return {
        "jobs": args.jobs, "completed": len(completed), "lost": args.jobs - len(completed),
        "duplicated": len(duplicated_jobs(executions, job_of_prompt)) + reruns,
        "retried": sum(1 for job in jobs if job.get("attempt", 1) > 1),
        "makespan_s": end - start, "bound_s": lower_bound(args.jobs, args.work, args.sims),
        "sim_makespan_s": max((p["finished"] or start for s in stats.values() for p in s["prompts"]),
                              default=start) - start,
        "switches": sum(s["model_switches"] for s in stats.values()), "slot_time": slots,
        "per_sim_jobs": Counter(fleet.server_ids[job["server_id"]] for job in completed),
        "dispatch_ms": [value * 1000 for value in dispatch], "idle_ms": [value * 1000 for value in idle],
        "collect_ms": [value * 1000 for value in collect], "runtime_extra_ms": [value * 1000 for value in runtime],
    }


def quantiles(values_ms: list[float]) -> str:
    top = max(values_ms, default=float("nan"))
    return (f"p50 {percentile(values_ms, 0.5):7.1f}  p90 {percentile(values_ms, 0.9):7.1f}  "
            f"p99 {percentile(values_ms, 0.99):7.1f}  max {top:7.1f} ms  (n={len(values_ms)})")


def report(results: list[Json], args: argparse.Namespace) -> None:
    fleet = ", ".join(f"{s.name} x{s.capacity} speed {s.speed:g}" for s in args.sims)
    mix = ", ".join(f"{preset} {share:.0%}" for preset, share in MIX)
    capacity = sum(s.capacity * s.speed for s in args.sims)
    print(f"{args.jobs} jobs ({mix}, shuffled, seed {args.seed}); fleet: {fleet}")
    print(f"work per job: KSampler {args.work:g} s / speed (other nodes 0 s); switch delay {args.switch_delay:g} s; "
          f"DISPATCH_TICK_S {args.tick:g}" + (f"; PATCHED product: {args.patch}" if args.patch else "")
          + f"; SCHEDULER_PREFETCH {results[0]['prefetch']}")
    print(f"lower bound = {args.jobs} x {args.work:g} s / {capacity:g} (sum of capacity x speed) "
          f"= {results[0]['bound_s']:.2f} s")
    for result in results:
        per_sim = ", ".join(f"{name} {result['per_sim_jobs'][name]}" for name in (s.name for s in args.sims))
        cpu = ", ".join(f"{name} {seconds:.1f}" for name, seconds in result["cpu_s"].items())
        slots: SlotTime = result["slot_time"]
        shares = ", ".join(f"{name} {getattr(slots, name) / slots.total:.1%}"
                           for name in ("work", "switches", "simulator", "between", "tail"))
        print(f"\n{result['label']}: makespan {result['makespan_s']:.2f} s = {result['ratio']:.3f} x bound "
              f"(last simulator finish at {result['sim_makespan_s']:.2f} s)")
        print(f"  checkpoint loads {result['switches']} (the first load of each slot included); "
              f"jobs per server: {per_sim}")
        print(f"  completed {result['completed']}, lost {result['lost']}, duplicated {result['duplicated']}, "
              f"retried {result['retried']}")
        print(f"  slot time ({slots.total:.1f} slot-s): {shares}")
        plain = [ms for ms in result["runtime_extra_ms"] if ms < args.switch_delay * 500]  # prompts without a load
        overhead = statistics.median(plain) / 1000 if plain else 0.0
        floor = result["bound_s"] + args.switch_delay + args.jobs * overhead / sum(s.capacity for s in args.sims)
        print(f"  floor for any dispatcher ~ bound + one switch delay (each slot's first load) + jobs x the median "
              f"simulator overhead ({overhead * 1000:.0f} ms) / slots = {floor:.2f} s = "
              f"{floor / result['bound_s']:.3f} x bound")
        print(f"  dispatch  (slot freed by the product, or resume -> /prompt received):    "
              f"{quantiles(result['dispatch_ms'])}")
        print(f"  slot idle (slot's previous prompt finished, or resume -> next started): "
              f"{quantiles(result['idle_ms'])}")
        print(f"  collect   (simulator finished a prompt -> its job saved completed):     "
              f"{quantiles(result['collect_ms'])}")
        print(f"  run time beyond the KSampler latency (switch, rendering, history delay): "
              f"{quantiles(result['runtime_extra_ms'])}")
        print(f"  CPU seconds during the run: {cpu}; per job: api {result['cpu_s']['api'] * 1000 / args.jobs:.1f} ms, "
              f"db {result['cpu_s']['db'] * 1000 / args.jobs:.1f} ms")
        if "trace" in result:
            print("  trace of the product between resume and the last completion (wall ms per call; calls overlap):")
            for name, values in sorted(result["trace"].items(), key=lambda item: -sum(item[1])):
                if not values:
                    continue
                print(f"    {name:<42} n={len(values):<6} total {sum(values) / 1000:7.2f} s  "
                      f"{quantiles(values).rsplit('  (', 1)[0]}")
        print(f"  other processes on this {os.cpu_count()}-core machine kept {result['other_cores']:.2f} cores busy "
              f"on average during the run")
        print(f"  CPU share (1.0 = one core) with the queue paused, {args.jobs} jobs pending: "
              f"api {result['paused_cpu']['api']:.2f}, db {result['paused_cpu']['db']:.2f}")
    main_run = next((r for r in results if r["affinity"] and r["speed"]), results[0])
    off = next((r for r in results if not r["affinity"]), None)
    slow = next((r for r in results if r["affinity"] and not r["speed"]), None)
    summary = {
        "jobs": main_run["jobs"], "servers": args.servers, "fleet": args.fleet, "label": main_run["label"],
        "makespan_ratio": round(main_run["ratio"], 3),
        "makespan_ratio_no_speed": None if slow is None else round(slow["ratio"], 3),
        "makespan_ratio_no_affinity": None if off is None else round(off["ratio"], 3),
        "dispatch_p50_ms": round(percentile(main_run["dispatch_ms"], 0.5), 1),
        "dispatch_p99_ms": round(percentile(main_run["dispatch_ms"], 0.99), 1),
        "lost": sum(r["lost"] for r in results), "duplicated": sum(r["duplicated"] for r in results),
    }
    if args.patch:  # not the plain product's figures: say so in the line itself
        summary["patched"] = args.patch
    print(json.dumps(summary), flush=True)


def main() -> None:
    args = parse_args()
    presets = job_plan(args.jobs, args.seed)
    speeds = {"both": (True, False), "on": (True,), "off": (False,)}[args.speed]
    runs = [(True, speed) for speed in speeds] if args.runs in ("both", "on") else []
    if args.runs in ("both", "off"):
        runs.append((False, speeds[0]))
    report([run_once(args, affinity=affinity, speed=speed, presets=presets) for affinity, speed in runs], args)


if __name__ == "__main__":
    main()
