"""Probing a server: its health (latency, version, last error) and, optionally, its model files."""

import asyncio

from application.errors import UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from domain.comfyui_server import ComfyUIServer, HealthStatus, ModelCatalog, ServerHealth

PROBE_TIMEOUT_S = 5.0


async def probe_health(backend: GenerationBackend, clock: Clock, url: str) -> ServerHealth:
    try:
        probe = await asyncio.wait_for(backend.probe(url), PROBE_TIMEOUT_S)
    except (UpstreamUnavailable, TimeoutError) as exc:
        return ServerHealth(HealthStatus.DOWN, clock.now(), None, str(exc) or "timed out")
    return ServerHealth(HealthStatus.UP, clock.now(), probe.latency_ms, None, probe.version)


async def probe_models(backend: GenerationBackend, url: str) -> ModelCatalog | None:
    try:
        return await asyncio.wait_for(backend.models(url), PROBE_TIMEOUT_S * 4)
    except (UpstreamUnavailable, TimeoutError):
        return None


async def checked(server: ComfyUIServer, backend: GenerationBackend, clock: Clock, *, models: bool) -> ComfyUIServer:
    health = await probe_health(backend, clock, server.url)
    catalog = await probe_models(backend, server.url) if models and health.status is HealthStatus.UP else None
    return server.checked(health, catalog)
