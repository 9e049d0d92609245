"""Rename, re-key, resize, enable/disable or move a registered provider (not the one the environment configures)."""

from typing import Any

from attrs import define, evolve, field, frozen

from application.errors import Conflict
from application.lookups import require
from application.ports.clock import Clock
from application.ports.outbound_guard import OutboundGuard
from application.ports.queue_signal import QueueSignal
from application.ports.secret_box import SecretBox
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.versions import ensure_version
from application.video_providers.model_specs import API_KEY_OR_EMPTY, ModelSpec
from application.video_providers.views import ProviderView
from application.video_providers.outbound_check import ensure_reachable
from domain.outbound import OutboundRule
from domain.validation import Count, optional, rule_of
from domain.video_provider import MAX_MODELS, ProviderSource, ProviderUrl, VideoProvider, key_hint


@frozen
class ProviderChanges:
    """Fields left out (null) keep their value; an empty `api_key` removes the key."""

    name: str | None = field(default=None, validator=optional(rule_of(VideoProvider, "name")))
    base_url: str | None = field(default=None, validator=optional(ProviderUrl()),
                                 metadata={"example": "http://127.0.0.1:8000/v1"})
    api_key: str | None = field(default=None, validator=optional(API_KEY_OR_EMPTY))
    models: tuple[ModelSpec, ...] | None = field(default=None, validator=optional(Count(1, MAX_MODELS)))
    concurrency: int | None = field(default=None, validator=optional(rule_of(VideoProvider, "concurrency")))
    enabled: bool | None = None
    version: int | None = None


@frozen
class UpdateProvider:
    provider_id: str
    changes: ProviderChanges


def ensure_registered_through_the_api(provider: VideoProvider) -> None:
    if provider.source is ProviderSource.ENVIRONMENT:
        raise Conflict("this provider is configured by OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_VIDEO_MODEL: "
                       "change those and restart, or register another provider")


@define
class UpdateProviderHandler:
    uow: UnitOfWork
    clock: Clock
    secrets: SecretBox
    signal: QueueSignal
    outbound: OutboundRule = OutboundRule()
    guard: OutboundGuard | None = None  # checks the addresses a host name resolves to

    @retried_on_lost_race
    async def __call__(self, cmd: UpdateProvider) -> ProviderView:
        if cmd.changes.base_url is not None:
            await ensure_reachable(self.outbound, self.guard, cmd.changes.base_url)
        async with self.uow:
            provider = await require(self.uow.video_providers, cmd.provider_id, "Video provider")
            ensure_registered_through_the_api(provider)
            ensure_version("Video provider", provider.version, cmd.changes.version)
            saved = await self.uow.video_providers.update(self._edited(provider, cmd.changes))
            await self.uow.commit()
        self.signal.settings_changed()
        return ProviderView.of(saved)

    def _edited(self, provider: VideoProvider, changes: ProviderChanges) -> VideoProvider:
        updates: dict[str, Any] = {name: value for name in ("name", "base_url", "concurrency", "enabled")
                                   if (value := getattr(changes, name)) is not None}
        if changes.models is not None:
            updates["models"] = tuple(spec.model() for spec in changes.models)
        if changes.api_key is not None:
            updates["sealed_key"] = self.secrets.seal(changes.api_key) if changes.api_key else None
            updates["key_last4"] = key_hint(changes.api_key) if changes.api_key else None
        return evolve(provider, **updates, updated_at=self.clock.now())
