"""Is a video provider configured, does each one answer and take its key, which models does it serve."""

import asyncio

from attrs import define, frozen

from application.ports.unit_of_work import UnitOfWork
from application.ports.video_provider import ProviderCheck, VideoProviderApi
from application.video_providers.configure_default import ENVIRONMENT_PROVIDER_ID
from application.video_providers.generate_video import NO_PROVIDER
from application.video_providers.views import ProviderView
from domain.video_provider import VideoProvider

CHECK_TIMEOUT_S = 8.0


@frozen
class ProviderHealth:
    provider: ProviderView
    reachable: bool
    key_accepted: bool | None  # None: unknown (unreachable, or an engine that answered neither yes nor no)
    latency_ms: float | None
    error: str | None


@frozen
class VideoProvidersStatus:
    configured: bool  # at least one provider is registered (or set by the environment)
    default_provider_id: str | None  # the one POST /openai/generate uses without provider_id
    providers: tuple[ProviderHealth, ...]
    how_to_configure: str | None  # when none is configured


@define
class GetProvidersStatus:
    uow: UnitOfWork
    api: VideoProviderApi

    async def __call__(self) -> VideoProvidersStatus:
        async with self.uow.reading():
            providers = await self.uow.video_providers.all()
        checks = await asyncio.gather(*(self._check(provider) for provider in providers))
        enabled = [p for p in providers if p.enabled]
        default = next((p for p in enabled if p.id == ENVIRONMENT_PROVIDER_ID), enabled[0] if enabled else None)
        return VideoProvidersStatus(
            configured=bool(providers), default_provider_id=default.id if default else None,
            providers=tuple(ProviderHealth(ProviderView.of(p), c.reachable, c.key_accepted, c.latency_ms, c.error)
                            for p, c in zip(providers, checks, strict=True)),
            how_to_configure=None if providers else NO_PROVIDER,
        )

    async def _check(self, provider: VideoProvider) -> ProviderCheck:
        try:
            return await asyncio.wait_for(self.api.check(provider.id), CHECK_TIMEOUT_S)
        except TimeoutError:
            return ProviderCheck(reachable=False, key_accepted=None, error=f"no answer within {CHECK_TIMEOUT_S:g}s")
