"""Load generator: N keep-alive connections GET one URL for a fixed time; prints one JSON line of results.

`--header 'If-None-Match: "board-3"' --expect 304` measures conditional requests: only the expected status counts.
"""

import argparse
import asyncio
import json
import statistics
import time

import aiohttp
from attrs import define, field


@define
class Tally:
    ok: int = 0
    errors: int = 0
    latencies: list[float] = field(factory=list)


@define
class Request:
    url: str
    headers: dict[str, str] = field(factory=dict)
    expect: int = 200


async def _one(session: aiohttp.ClientSession, request: Request, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        async with session.get(request.url, headers=request.headers) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError):
        tally.errors += 1
        return
    if status == request.expect:
        tally.ok += 1
        tally.latencies.append(time.perf_counter() - started)
    else:
        tally.errors += 1


async def _worker(session: aiohttp.ClientSession, request: Request, deadline: float, tally: Tally) -> None:
    while time.perf_counter() < deadline:
        await _one(session, request, tally)


async def _phase(session: aiohttp.ClientSession, request: Request, *, seconds: float,
                 concurrency: int) -> tuple[Tally, float]:
    """Run `concurrency` workers until `seconds` pass; return the tally and the elapsed time."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_worker(session, request, deadline, tally) for _ in range(concurrency)))
    return tally, time.perf_counter() - started


async def run(request: Request, *, seconds: float, concurrency: int, warmup: float) -> dict[str, float]:
    """Warm up, then measure; CPU per request of this process covers both phases."""
    cpu_started = time.process_time()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        warm, _ = await _phase(session, request, seconds=warmup, concurrency=concurrency)
        tally, elapsed = await _phase(session, request, seconds=seconds, concurrency=concurrency)
    all_ok = warm.ok + tally.ok
    return {
        "ok": tally.ok, "errors": tally.errors, "seconds": elapsed, "rps": tally.ok / elapsed,
        "p50_ms": statistics.median(tally.latencies) * 1000 if tally.latencies else float("nan"),
        "all_ok": all_ok, "load_cpu_ms": (time.process_time() - cpu_started) * 1000 / max(all_ok, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', sent with every request")
    parser.add_argument("--expect", type=int, default=200, help="the status that counts as a success")
    args = parser.parse_args()
    headers = dict(header.split(":", 1) for header in args.header)
    request = Request(args.url, {name.strip(): value.strip() for name, value in headers.items()}, args.expect)
    result = asyncio.run(run(request, seconds=args.seconds, concurrency=args.concurrency, warmup=args.warmup))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
