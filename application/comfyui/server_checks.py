"""Probing a server (its health: latency, version, last error; optionally its model files) and keeping what
was found as the server's observation, apart from its versioned configuration."""

import asyncio

from attrs import define, frozen

from application.errors import UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.outbound_guard import OutboundGuard
from application.ports.server_observations import ServerObservations
from domain.errors import InvalidValue
from domain.outbound import OutboundRule
from domain.comfyui_server import HealthStatus, ModelCatalog, ServerHealth

PROBE_TIMEOUT_S = 5.0


@frozen
class Findings:
    health: ServerHealth
    models: ModelCatalog | None = None  # None: not asked for, or the server did not list them


@define
class ServerChecker:
    backend: GenerationBackend
    clock: Clock
    observations: ServerObservations
    outbound: OutboundRule = OutboundRule()
    guard: OutboundGuard | None = None  # checks the addresses a host name resolves to

    async def check(self, url: str, *, models: bool) -> Findings:
        health = await self._health(url)
        catalog = await self._models(url) if models and health.status is HealthStatus.UP else None
        return Findings(health, catalog)

    async def check_up(self, url: str) -> Findings:
        """Health and models of a server about to be (re)registered at `url`; 502 unless it answers.

        An address the backend may not reach is a 400, and no request is sent to it."""
        refusal = self.outbound.refusal(url) or (None if self.guard is None else await self.guard.refusal(url))
        if refusal is not None:
            raise InvalidValue("url", f"not allowed: {refusal}")
        found = await self.check(url, models=True)
        if found.health.status is not HealthStatus.UP:
            raise UpstreamUnavailable(f"no ComfyUI answered at {url}: {found.health.last_error}")
        return found

    async def record(self, server_id: str, url: str, found: Findings) -> None:
        await self.observations.record_health(server_id, url, found.health)
        if found.models is not None:
            await self.observations.record_models(server_id, url, found.models)

    async def _health(self, url: str) -> ServerHealth:
        refusal = self.outbound.refusal(url)
        if refusal is not None:  # a server registered before the rule changed: never contacted
            return ServerHealth(HealthStatus.DOWN, self.clock.now(), None, f"not allowed: {refusal}")
        try:
            probe = await asyncio.wait_for(self.backend.probe(url), PROBE_TIMEOUT_S)
        except (UpstreamUnavailable, TimeoutError) as exc:
            return ServerHealth(HealthStatus.DOWN, self.clock.now(), None, str(exc) or "timed out")
        return ServerHealth(HealthStatus.UP, self.clock.now(), probe.latency_ms, None, probe.version)

    async def _models(self, url: str) -> ModelCatalog | None:
        try:
            return await asyncio.wait_for(self.backend.models(url), PROBE_TIMEOUT_S * 4)
        except (UpstreamUnavailable, TimeoutError):
            return None
