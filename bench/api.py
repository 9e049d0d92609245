"""Requests/second of GET /api/v1/projects/{id}/with-scenes: ours vs the floor (limit) vs the seed's way (peer).

Beside them, ours answering a client whose copy is current: the same GET with a matching If-None-Match (304),
in the same interleaved rounds. Run from the repository root: python -m bench.api [--seconds 5] [--rounds 3]
[--concurrency 16]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from adapters.mongo.embedded_server import EmbeddedSecantus, free_port
from bench.processes import REPO, Server, cpu_seconds, positive, start_server, wait_until_ok
from bench.seed import seed_board

DB_NAME = "storycanvas_bench"
TARGETS = ("ours", "ours_304", "limit", "peer")
SERVER_OF = {"ours": "ours", "ours_304": "ours", "limit": "limit", "peer": "peer"}
Result = dict[str, float]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=positive(float), default=5.0, help="measured seconds per round and target")
    parser.add_argument("--rounds", type=positive(int), default=3, help="interleaved rounds (ours, limit, peer, ...)")
    parser.add_argument("--concurrency", type=positive(int), default=16, help="concurrent keep-alive connections")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each round")
    parser.add_argument("--scenes", type=positive(int), default=20)
    parser.add_argument("--clips", type=positive(int), default=10, help="clips per scene")
    return parser.parse_args()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def start_database(stack: ExitStack, workdir: Path) -> EmbeddedSecantus:
    database = EmbeddedSecantus(workdir / "db")
    stack.callback(database.stop)
    database.start()
    return database


def start_ours(stack: ExitStack, workdir: Path, mongo_url: str) -> Server:
    port = free_port()
    env = dict(os.environ, MONGO_URL=mongo_url, DB_NAME=DB_NAME, BACKEND_HOST="127.0.0.1",
               BACKEND_PORT=str(port), UPLOAD_DIR=str(workdir / "uploads"), DATA_DIR=str(workdir / "data"),
               ACCESS_LOG="false", COMFYUI_HEALTH_INTERVAL_S="0")
    server = start_server("ours", ["entrypoints.cli", "serve"], port=port, log=workdir / "ours.log", env=env)
    stack.callback(server.stop)
    wait_until_ok(server, "/api/v1/health")
    return server


def start_bench_app(stack: ExitStack, workdir: Path, name: str, module: str, *, mongo_url: str, path: str) -> Server:
    port = free_port()
    args = [module, "--mongo-url", mongo_url, "--db", DB_NAME, "--port", str(port)]
    server = start_server(name, args, port=port, log=workdir / f"{name}.log")
    stack.callback(server.stop)
    wait_until_ok(server, path)
    return server


def fetch(server: Server, path: str) -> bytes:
    with urllib.request.urlopen(server.url(path), timeout=30) as response:
        body: bytes = response.read()
        return body


def current_etag(server: Server, path: str) -> str:
    """The board's ETag, once a request naming it is answered 304 with no body."""
    with urllib.request.urlopen(server.url(path), timeout=30) as response:
        etag: str = response.headers["ETag"]
    request = urllib.request.Request(server.url(path), headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as answer:  # urllib reports a 304 as an error
        if answer.code == 304 and not answer.read():
            return etag
    raise AssertionError(f"ours does not answer 304 to If-None-Match: {etag}")


def check_same_json(servers: dict[str, Server], path: str) -> None:
    """Every target must answer exactly the JSON ours answers."""
    reference = fetch(servers["ours"], path)
    for name in ("limit", "peer"):
        body = fetch(servers[name], path)
        if json.loads(body) != json.loads(reference):
            raise AssertionError(f"{name} answers different JSON from ours for {path}")
        same = "byte-identical" if body == reference else "same parsed JSON, different bytes"
        say(f"{name}: {same} to ours ({len(body)} bytes vs {len(reference)})")


def measure(server: Server, path: str, args: argparse.Namespace, *, db_pid: int, load: list[str]) -> Result:
    """One round against one target, in a separate load-generator process, with CPU per request."""
    pids = {"server": server.process.pid, "db": db_pid}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    command = [sys.executable, "-m", "bench.load", server.url(path), "--seconds", str(args.seconds),
               "--concurrency", str(args.concurrency), "--warmup", str(args.warmup), *load]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=args.seconds + args.warmup + 120)
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed ({done.returncode}): {done.stderr.strip()}")
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    for name, pid in pids.items():  # warm-up requests included on both sides of the division
        result[f"{name}_cpu_ms"] = (cpu_seconds(pid) - before[name]) * 1000 / max(result["all_ok"], 1)
    return result


def run_rounds(servers: dict[str, Server], path: str, args: argparse.Namespace, *,
               db_pid: int, etag: str) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {name: [] for name in TARGETS}
    load = {"ours_304": ["--header", f"If-None-Match: {etag}", "--expect", "304"]}
    for round_number in range(1, args.rounds + 1):
        for name in TARGETS:
            result = measure(servers[SERVER_OF[name]], path, args, db_pid=db_pid, load=load.get(name, []))
            results[name].append(result)
            say(f"round {round_number} {name}: {result['rps']:.1f} rps, p50 {result['p50_ms']:.1f} ms, "
                f"{result['errors']:.0f} errors, CPU ms/req server {result['server_cpu_ms']:.1f} "
                f"db {result['db_cpu_ms']:.1f} load {result['load_cpu_ms']:.1f}")
    return results


def median(results: list[Result], key: str) -> float:
    return statistics.median(result[key] for result in results)


def median_rps(results: list[Result]) -> float:
    return median(results, "rps")


def report(results: dict[str, list[Result]], args: argparse.Namespace) -> None:
    """The table, then the JSON summary as the last line."""
    print(f"GET /api/v1/projects/{{id}}/with-scenes, {args.scenes} scenes x {args.clips} clips, "
          f"concurrency {args.concurrency}, {args.rounds} rounds x {args.seconds:g} s")
    print(f"{'target':<9}{'median rps':>11}{'p50 ms':>9}{'errors':>8}  CPU ms/req: {'server':>7}{'db':>7}{'load':>7}"
          "  per-round rps")
    for name in TARGETS:
        rounds = results[name]
        errors = sum(result["errors"] for result in rounds)
        per_round = ", ".join(f"{result['rps']:.1f}" for result in rounds)
        cpu = "".join(f"{median(rounds, key):>7.2f}" for key in ("server_cpu_ms", "db_cpu_ms", "load_cpu_ms"))
        print(f"{name:<9}{median_rps(rounds):>11.1f}{median(rounds, 'p50_ms'):>9.1f}{errors:>8.0f}{'':>13}{cpu}"
              f"  {per_round}")
    ours, ours_304, limit, peer = (median_rps(results[name]) for name in TARGETS)
    summary: dict[str, Any] = {
        "ours_rps": round(ours, 1), "limit_rps": round(limit, 1), "peer_rps": round(peer, 1),
        "ratio_to_limit": round(ours / limit, 3), "ratio_to_peer": round(ours / peer, 3),
        "ours_304_rps": round(ours_304, 1), "ratio_304_to_full": round(ours_304 / ours, 3),
    }
    print(json.dumps(summary), flush=True)


def main() -> None:
    args = parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-bench-")))
        database = start_database(stack, workdir)
        assert database.process is not None
        mongo_url = database.url
        servers = {"ours": start_ours(stack, workdir, mongo_url)}
        say(f"seeding {args.scenes} scenes x {args.clips} clips through ours")
        path = f"/api/v1/projects/{seed_board(servers['ours'], scenes=args.scenes, clips=args.clips)}/with-scenes"
        servers["limit"] = start_bench_app(stack, workdir, "limit", "bench.limit_app", mongo_url=mongo_url, path=path)
        servers["peer"] = start_bench_app(stack, workdir, "peer", "bench.peer_fastapi", mongo_url=mongo_url, path=path)
        check_same_json(servers, path)
        etag = current_etag(servers["ours"], path)
        say(f"ours answers 304 to If-None-Match: {etag}")
        report(run_rounds(servers, path, args, db_pid=database.process.pid, etag=etag), args)


if __name__ == "__main__":
    main()
