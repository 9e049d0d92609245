"""Register a video provider: its URL checked like a ComfyUI server's, its key sealed before it is stored."""

from attrs import define, field, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.outbound_guard import OutboundGuard
from application.ports.queue_signal import QueueSignal
from application.ports.secret_box import SecretBox
from application.ports.unit_of_work import UnitOfWork
from application.video_providers.model_specs import API_KEY, ModelSpec
from application.video_providers.views import ProviderView
from application.video_providers.outbound_check import ensure_reachable
from domain.outbound import OutboundRule
from domain.validation import Count, optional, rule_of
from domain.video_provider import MAX_MODELS, ProviderUrl, VideoModel, VideoProvider, key_hint


@frozen
class RegisterProvider:
    name: str = field(validator=rule_of(VideoProvider, "name"))
    base_url: str = field(validator=ProviderUrl(), metadata={"example": "http://127.0.0.1:8000/v1"})
    api_key: str | None = field(default=None, validator=optional(API_KEY))  # none: the engine wants no key
    models: tuple[ModelSpec, ...] | None = field(default=None, validator=optional(Count(1, MAX_MODELS)))
    concurrency: int = field(default=2, validator=rule_of(VideoProvider, "concurrency"))
    enabled: bool = True


@define
class RegisterProviderHandler:
    """Nothing is asked of the provider yet: GET /openai/status says whether it answers and takes the key."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    secrets: SecretBox
    signal: QueueSignal
    outbound: OutboundRule = OutboundRule()
    guard: OutboundGuard | None = None  # checks the addresses a host name resolves to

    async def __call__(self, cmd: RegisterProvider) -> ProviderView:
        await ensure_reachable(self.outbound, self.guard, cmd.base_url)
        now = self.clock.now()
        models = tuple(spec.model() for spec in cmd.models) if cmd.models else (VideoModel.known("sora-2"),)
        provider = VideoProvider(
            id=self.ids.new_id(), name=cmd.name, base_url=cmd.base_url, models=models, concurrency=cmd.concurrency,
            enabled=cmd.enabled, sealed_key=self.secrets.seal(cmd.api_key) if cmd.api_key else None,
            key_last4=key_hint(cmd.api_key) if cmd.api_key else None, created_at=now, updated_at=now,
        )
        async with self.uow:
            await self.uow.video_providers.add(provider)
            await self.uow.commit()
        self.signal.settings_changed()
        return ProviderView.of(provider)
