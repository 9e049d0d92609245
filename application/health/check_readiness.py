"""Check every dependency the service needs, with timings, in parallel.

The database, the media directory and the dispatcher decide readiness; each ComfyUI server and video provider
is reported beside them (`required: false`), since one GPU box being down must not take the API out of the
load balancer."""

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Protocol

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
    required: bool = True  # False: reported, but the service is ready without it


@frozen
class Readiness:
    ready: bool
    checks: tuple[Check, ...]


class CheckSource(Protocol):
    """Checks of a varying set of dependencies (each ComfyUI server, each provider)."""

    name: str

    async def checks(self) -> list[Check]: ...


@define
class CheckReadiness:
    probes: Sequence[ReadinessProbe]
    sources: Sequence[CheckSource] = ()

    async def __call__(self) -> Readiness:
        fixed = asyncio.gather(*(_run(probe) for probe in self.probes))
        varying = asyncio.gather(*(_gather(source) for source in self.sources))
        checks, reported = await asyncio.gather(fixed, varying)
        every = (*checks, *(check for found in reported for check in found))
        return Readiness(ready=all(check.ok for check in every if check.required), checks=every)


async def _run(probe: ReadinessProbe) -> Check:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe.check(), PROBE_TIMEOUT_S)
        error = None
    except Exception as exc:  # any failure means "not ready"; the details (paths, hosts) go to the log only
        log.warning("readiness probe %s failed: %r", probe.name, exc)
        error = type(exc).__name__
    return Check(probe.name, error is None, round((time.perf_counter() - started) * 1000, 2), error)


async def _gather(source: CheckSource) -> list[Check]:
    started = time.perf_counter()
    try:
        return await asyncio.wait_for(source.checks(), PROBE_TIMEOUT_S)
    except Exception as exc:
        log.warning("readiness checks of %s failed: %r", source.name, exc)
        return [Check(source.name, False, round((time.perf_counter() - started) * 1000, 2), type(exc).__name__,
                      required=False)]
