"""Load generator: N keep-alive connections GET one URL for a fixed time; prints one JSON line of results."""

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


async def _one(session: aiohttp.ClientSession, url: str, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        async with session.get(url) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError):
        tally.errors += 1
        return
    if status == 200:
        tally.ok += 1
        tally.latencies.append(time.perf_counter() - started)
    else:
        tally.errors += 1


async def _worker(session: aiohttp.ClientSession, url: str, deadline: float, tally: Tally) -> None:
    while time.perf_counter() < deadline:
        await _one(session, url, tally)


async def _phase(session: aiohttp.ClientSession, url: str, *, seconds: float, concurrency: int) -> tuple[Tally, float]:
    """Run `concurrency` workers until `seconds` pass; return the tally and the elapsed time."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_worker(session, url, deadline, tally) for _ in range(concurrency)))
    return tally, time.perf_counter() - started


async def run(url: str, *, seconds: float, concurrency: int, warmup: float) -> dict[str, float]:
    """Warm up, then measure; CPU per request of this process covers both phases."""
    cpu_started = time.process_time()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        warm, _ = await _phase(session, url, seconds=warmup, concurrency=concurrency)
        tally, elapsed = await _phase(session, url, seconds=seconds, concurrency=concurrency)
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
    args = parser.parse_args()
    result = asyncio.run(run(args.url, seconds=args.seconds, concurrency=args.concurrency, warmup=args.warmup))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
