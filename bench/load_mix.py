"""A realistic mix on loopback for a fixed time: clients browsing boards (with ETags), editing clips, enqueueing
jobs on ComfyUI simulators and reading the queue, beside WebSocket subscribers timing each `queue_update` from
the job's change (its `updated_at`) to its arrival.

Each client is a user at a board: a request, then a pause (exponential, mean --think-ms; 0 sends requests
back to back, which measures the most the API serves rather than how users fare).
Prints throughput, p50/p99 per kind, errors, the update delay; the last line is one JSON object.
Run from the repository root: python -m bench.load_mix [--seconds 20] [--clients 200] [--subscribers 200]
[--think-ms 1000] [--instances 2]  (two API instances on one database: clients and subscribers spread over both)
"""

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from attrs import define, field

from adapters.mongo.embedded_server import EmbeddedSecantus, free_port
from bench.processes import Server, cpu_seconds, positive, start_server, wait_until_ok
from bench.seed import seed_board

API = "/api/v1"
DB_NAME = "storycanvas_load_mix"
KINDS = (("browse", 0.55), ("queue", 0.25), ("edit", 0.15), ("enqueue", 0.05))
GENERATION = {"model": "sdxl", "params": {"width": 512, "height": 512, "steps": 4}}
Json = dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=positive(float), default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--clients", type=positive(int), default=200, help="concurrent HTTP clients")
    parser.add_argument("--subscribers", type=int, default=200, help="WebSocket subscribers")
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause of a client between its requests (exponential; 0: back to back)")
    parser.add_argument("--instances", type=positive(int), default=1, help="API instances on the one database")
    parser.add_argument("--projects", type=positive(int), default=4)
    parser.add_argument("--scenes", type=positive(int), default=4, help="scenes per project")
    parser.add_argument("--clips", type=positive(int), default=5, help="clips per scene")
    parser.add_argument("--sims", type=positive(int), default=2, help="ComfyUI simulators (capacity 2 each)")
    return parser.parse_args()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# The processes ------------------------------------------------------------------------------------------------


def start_everything(stack: ExitStack, workdir: Path, args: argparse.Namespace
                     ) -> tuple[list[Server], list[Server], EmbeddedSecantus]:
    database = EmbeddedSecantus(workdir / "db")
    stack.callback(database.stop)
    database.start()
    sims = []
    for number in range(args.sims):
        port = free_port()
        command = ["simulators.comfyui", "--port", str(port), "--root", str(workdir / f"sim-{number}"),
                   "--capacity", "2", "--latency", "0", "--node-latency", "KSampler=0.05"]
        sims.append(start_server(f"sim-{number}", command, port=port, log=workdir / f"sim-{number}.log"))
        stack.callback(sims[-1].stop)
    apis = []
    for number in range(args.instances):
        port = free_port()
        env = dict(os.environ, MONGO_URL=database.url, DB_NAME=DB_NAME, BACKEND_HOST="127.0.0.1",
                   BACKEND_PORT=str(port), UPLOAD_DIR=str(workdir / "uploads"), DATA_DIR=str(workdir / "data"),
                   ACCESS_LOG="false", COMFYUI_HEALTH_INTERVAL_S="5", LOG_FORMAT="text")
        apis.append(start_server(f"api-{number}", ["entrypoints.cli", "serve"], port=port,
                                 log=workdir / f"api-{number}.log", env=env))
        stack.callback(apis[-1].stop)
    for server in sims:
        wait_until_ok(server, "/system_stats")
    for server in apis:
        wait_until_ok(server, f"{API}/health")
    return apis, sims, database


# The mix ------------------------------------------------------------------------------------------------------


@define
class Board:
    project_id: str
    clips: list[str]


@define
class Tally:
    latencies: dict[str, list[float]] = field(factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(factory=lambda: defaultdict(int))
    conflicts: int = 0
    not_modified: int = 0
    delays: list[float] = field(factory=list)
    updates: int = 0
    measuring: bool = False
    cpu_pids: dict[str, list[int]] = field(factory=dict)  # "api" and "db": the processes whose CPU is counted
    cpu: dict[str, float] = field(factory=dict)  # their CPU seconds over the measured time

    def cpu_now(self) -> dict[str, float]:
        """CPU seconds so far of the API instances, the database and this load generator itself."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        return {**{name: sum(cpu_seconds(pid) for pid in pids) for name, pids in self.cpu_pids.items()},
                "loadgen": own.ru_utime + own.ru_stime}

    def took(self, kind: str, seconds: float) -> None:
        if self.measuring:
            self.latencies[kind].append(seconds)

    def failed(self, kind: str, detail: str) -> None:
        if self.measuring:
            self.errors[kind] += 1
            if sum(self.errors.values()) <= 5:
                say(f"error in {kind}: {detail}")


@define
class Client:
    base: str
    session: aiohttp.ClientSession
    boards: list[Board]
    versions: dict[str, int]
    tally: Tally
    rng: random.Random
    think_s: float
    etags: dict[str, str] = field(factory=dict)

    async def browse(self) -> None:
        board = self.rng.choice(self.boards)
        headers = {"If-None-Match": self.etags[board.project_id]} if board.project_id in self.etags else {}
        async with self.session.get(f"{self.base}/projects/{board.project_id}/with-scenes",
                                    headers=headers) as response:
            await response.read()
            if response.status == 304:
                self.tally.not_modified += self.tally.measuring
            elif response.status == 200:
                self.etags[board.project_id] = response.headers.get("ETag", "")
            else:
                raise RuntimeError(f"board read answered {response.status}")

    async def queue(self) -> None:
        async with self.session.get(f"{self.base}/queue/jobs?limit=20") as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"queue read answered {response.status}")

    async def edit(self) -> None:
        clip_id = self.rng.choice(self.rng.choice(self.boards).clips)
        body = {"lyrics": f"edited {self.rng.random():.6f}", "version": self.versions[clip_id]}
        async with self.session.put(f"{self.base}/clips/{clip_id}", json=body) as response:
            answer = await response.json(content_type=None)
            if response.status == 200:
                self.versions[clip_id] = max(self.versions[clip_id], answer["version"])
                return
            if response.status != 409:
                raise RuntimeError(f"clip edit answered {response.status}: {answer}")
        self.tally.conflicts += self.tally.measuring  # another client edited it first: read it again
        async with self.session.get(f"{self.base}/clips/{clip_id}") as response:
            self.versions[clip_id] = max(self.versions[clip_id], (await response.json())["version"])

    async def enqueue(self) -> None:
        clip_id = self.rng.choice(self.rng.choice(self.boards).clips)
        async with self.session.post(f"{self.base}/generation", json={"clip_id": clip_id, **GENERATION}) as response:
            await response.read()
            if response.status != 202:
                raise RuntimeError(f"enqueue answered {response.status}")

    async def think(self) -> None:
        if self.think_s > 0:
            await asyncio.sleep(self.rng.expovariate(1 / self.think_s))

    async def run(self, deadline: float) -> None:
        kinds, weights = zip(*KINDS, strict=True)
        await asyncio.sleep(self.rng.uniform(0, self.think_s))  # clients arrive spread over one pause
        while time.perf_counter() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                await getattr(self, kind)()
            except (aiohttp.ClientError, TimeoutError, RuntimeError, KeyError, ValueError) as exc:
                self.tally.failed(kind, repr(exc))
            else:
                self.tally.took(kind, time.perf_counter() - started)
            await self.think()


def _age(stamp: str) -> float:
    return time.time() - datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


async def subscriber(session: aiohttp.ClientSession, base: str, project_id: str, tally: Tally, deadline: float,
                     ready: asyncio.Event) -> None:
    try:
        async with session.ws_connect(f"{base}/ws", heartbeat=30) as socket:
            await socket.send_json({"type": "subscribe_queue", "data": {"project_id": project_id}})
            while time.perf_counter() < deadline:
                try:
                    message = await socket.receive(timeout=max(deadline - time.perf_counter(), 0.01))
                except TimeoutError:
                    break
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"socket closed: {message.type.name}")
                data = json.loads(message.data)
                if data["type"] == "queue_snapshot":
                    ready.set()
                elif data["type"] == "queue_update" and tally.measuring:
                    tally.updates += 1
                    tally.delays.append(_age(data["data"]["updated_at"]))
    except (aiohttp.ClientError, RuntimeError, TimeoutError) as exc:
        tally.failed("websocket", repr(exc))
        ready.set()


async def seed(apis: list[Server], sims: list[Server], args: argparse.Namespace) -> tuple[list[Board], dict[str, int]]:
    boards, versions = [], {}
    async with aiohttp.ClientSession() as session:
        base = apis[0].url(API)
        for number, sim in enumerate(sims):
            async with session.post(f"{base}/comfyui/servers", json={"name": f"sim-{number}", "url": sim.url(""),
                                                                     "capacity": 2}) as response:
                assert response.status == 201, await response.text()
        for _ in range(args.projects):
            project_id = await asyncio.to_thread(seed_board, apis[0], scenes=args.scenes, clips=args.clips)
            async with session.get(f"{base}/projects/{project_id}/with-scenes") as response:
                board = await response.json()
            clips = [clip for scene in board["scenes"] for clip in scene["clips"]]
            versions.update({clip["id"]: clip["version"] for clip in clips})
            boards.append(Board(project_id, [clip["id"] for clip in clips]))
    return boards, versions


async def drive(apis: list[Server], database: EmbeddedSecantus, boards: list[Board], versions: dict[str, int],
                args: argparse.Namespace) -> tuple[Tally, float]:
    tally = Tally(cpu_pids={"api": [api.process.pid for api in apis], "db": [database.process.pid]})
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        bases = [api.url(API) for api in apis]
        deadline = time.perf_counter() + args.warmup + args.seconds + 60  # subscribers start first
        readies = [asyncio.Event() for _ in range(args.subscribers)]
        sockets = [asyncio.create_task(subscriber(session, bases[n % len(bases)], boards[n % len(boards)].project_id,
                                                  tally, deadline, readies[n])) for n in range(args.subscribers)]
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 120)
        start = time.perf_counter()
        end = start + args.warmup + args.seconds
        clients = [Client(bases[n % len(bases)], session, boards, versions, tally, random.Random(n),
                          args.think_ms / 1000)
                   for n in range(args.clients)]
        running = [asyncio.create_task(client.run(end)) for client in clients]
        await asyncio.sleep(args.warmup)
        tally.measuring = True
        measured, cpu_before = time.perf_counter(), tally.cpu_now()
        await asyncio.gather(*running)
        elapsed = time.perf_counter() - measured
        tally.cpu = {name: seconds - cpu_before[name] for name, seconds in tally.cpu_now().items()}
        await asyncio.sleep(0.5)  # the updates of the last changes still arrive
        tally.measuring = False
        for task in sockets:
            task.cancel()
        await asyncio.gather(*sockets, return_exceptions=True)
    return tally, elapsed


# The report ---------------------------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def report(tally: Tally, elapsed: float, args: argparse.Namespace) -> Json:
    print(f"{args.clients} clients (pausing {args.think_ms:g} ms on average between requests), "
          f"{args.subscribers} WebSocket subscribers, {args.instances} instance(s), {args.seconds:g} s measured")
    print(f"{'kind':<10}{'count':>8}{'rps':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    summary: Json = {"instances": args.instances, "clients": args.clients, "subscribers": args.subscribers,
                     "think_ms": args.think_ms, "seconds": round(elapsed, 2)}
    total = 0
    for kind, _ in KINDS:
        values = tally.latencies[kind]
        total += len(values)
        p50, p99 = quantile(values, 0.5) * 1000, quantile(values, 0.99) * 1000
        print(f"{kind:<10}{len(values):>8}{len(values) / elapsed:>9.1f}{p50:>9.1f}{p99:>9.1f}{tally.errors[kind]:>8}")
        summary[kind] = {"count": len(values), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1)}
    delay_p50, delay_p99 = quantile(tally.delays, 0.5) * 1000, quantile(tally.delays, 0.99) * 1000
    print(f"queue_update delay: {tally.updates} updates, p50 {delay_p50:.1f} ms, p99 {delay_p99:.1f} ms; "
          f"{tally.not_modified} board reads answered 304, {tally.conflicts} edits lost a race (409, read again)")
    per_request = {f"{name}_cpu_ms_per_request": round(seconds / max(total, 1) * 1000, 2)
                   for name, seconds in tally.cpu.items() if name != "loadgen"}
    loadgen_share = tally.cpu.get("loadgen", 0.0) / elapsed  # of one core: near 1, the generator's own delays count
    print("CPU per request: " + ", ".join(f"{name.removesuffix('_cpu_ms_per_request')} {ms:.2f} ms"
                                           for name, ms in per_request.items())
          + f"; the load generator used {loadgen_share:.0%} of a core; load average {os.getloadavg()[0]:.1f}")
    summary |= per_request | {"loadgen_core_share": round(loadgen_share, 2), "load_average": round(os.getloadavg()[0], 2)}
    summary |= {"throughput_rps": round(total / elapsed, 1), "errors": sum(tally.errors.values()),
                "errors_by_kind": dict(tally.errors), "updates": tally.updates,
                "update_delay_p50_ms": round(delay_p50, 1), "update_delay_p99_ms": round(delay_p99, 1),
                "not_modified": tally.not_modified, "conflicts": tally.conflicts}
    return summary


def main() -> None:
    args = parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-load-mix-")))
        apis, sims, database = start_everything(stack, workdir, args)
        say(f"seeding {args.projects} boards of {args.scenes} scenes x {args.clips} clips")
        boards, versions = asyncio.run(seed(apis, sims, args))
        tally, elapsed = asyncio.run(drive(apis, database, boards, versions, args))
        print(json.dumps(report(tally, elapsed, args)), flush=True)


if __name__ == "__main__":
    main()
