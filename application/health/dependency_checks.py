"""Readiness lines for each ComfyUI server (its last health check) and each video provider (asked, at most
once every `max_age_s`, so a load balancer polling readiness does not poll the providers too)."""

import time

from attrs import define, field

from application.health.check_readiness import Check
from application.ports.unit_of_work import UnitOfWork
from application.video_providers.provider_status import GetProvidersStatus

PROVIDER_CHECK_AGE_S = 30.0


@define
class ServerChecks:
    uow: UnitOfWork
    name: str = "comfyui"

    async def checks(self) -> list[Check]:
        async with self.uow.reading():
            servers = await self.uow.comfyui_servers.all()
        return [Check(f"comfyui:{s.name}", s.available, s.health.latency_ms or 0.0,
                      None if s.available else s.health.last_error or s.health.status.value, required=False)
                for s in servers if s.enabled]


@define
class ProviderChecks:
    status: GetProvidersStatus
    name: str = "video-providers"
    max_age_s: float = PROVIDER_CHECK_AGE_S
    _last: tuple[float, list[Check]] | None = field(default=None, init=False)

    async def checks(self) -> list[Check]:
        if self._last is not None and time.monotonic() - self._last[0] < self.max_age_s:
            return self._last[1]
        found = await self.status()
        checks = [Check(f"provider:{h.provider.name}", h.reachable and h.key_accepted is not False,
                        h.latency_ms or 0.0, h.error, required=False)
                  for h in found.providers if h.provider.enabled]
        self._last = (time.monotonic(), checks)
        return checks
