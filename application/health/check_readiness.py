"""Check every dependency the service needs, with timings, in parallel."""

import asyncio
import logging
import time
from collections.abc import Sequence

from attrs import define, frozen

from application.ports.readiness_probe import ReadinessProbe

PROBE_TIMEOUT_S = 5.0
log = logging.getLogger(__name__)


@frozen
class Check:
    name: str
    ok: bool
    latency_ms: float
    error: str | None = None


@frozen
class Readiness:
    ready: bool
    checks: tuple[Check, ...]


@define
class CheckReadiness:
    probes: Sequence[ReadinessProbe]

    async def __call__(self) -> Readiness:
        checks = await asyncio.gather(*(_run(probe) for probe in self.probes))
        return Readiness(ready=all(check.ok for check in checks), checks=tuple(checks))


async def _run(probe: ReadinessProbe) -> Check:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe.check(), PROBE_TIMEOUT_S)
        error = None
    except Exception as exc:  # any failure means "not ready"; the details (paths, hosts) go to the log only
        log.warning("readiness probe %s failed: %r", probe.name, exc)
        error = type(exc).__name__
    return Check(probe.name, error is None, round((time.perf_counter() - started) * 1000, 2), error)
