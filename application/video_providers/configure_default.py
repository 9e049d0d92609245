"""The provider the environment configures (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_VIDEO_MODEL), written again at
every start-up under one fixed id; with none of them set, a provider they configured before is removed."""

from attrs import define, evolve, frozen

from application.errors import Conflict
from application.ports.clock import Clock
from application.ports.secret_box import SecretBox, SecretUnreadable
from application.ports.unit_of_work import UnitOfWork
from application.video_providers.delete_provider import DeleteProviderHandler
from domain.video_provider import ProviderSource, VideoModel, VideoProvider, key_hint, provider_target

ENVIRONMENT_PROVIDER_ID = "000000000000000000000001"  # no id generator hands it out (ObjectIds start with a time)
ENVIRONMENT_PROVIDER_NAME = "default (environment)"


@frozen
class EnvironmentProvider:
    base_url: str
    api_key: str | None
    model: str


@define
class ConfigureDefaultProvider:
    uow: UnitOfWork
    clock: Clock
    secrets: SecretBox
    delete: DeleteProviderHandler

    async def __call__(self, wanted: EnvironmentProvider | None) -> VideoProvider | None:
        if wanted is None:
            await self._forget()
            return None
        for _ in range(3):  # two instances starting at once: the loser reads the winner's and writes again
            try:
                return await self._write(wanted)
            except Conflict:
                continue
        raise Conflict("the default video provider kept changing during start-up")

    async def _write(self, wanted: EnvironmentProvider) -> VideoProvider:
        now = self.clock.now()
        async with self.uow:
            current = await self.uow.video_providers.get(ENVIRONMENT_PROVIDER_ID)
            if current is not None and self._same(current, wanted):
                return current
            fields = dict(base_url=wanted.base_url, models=(VideoModel.known(wanted.model),),
                          sealed_key=self.secrets.seal(wanted.api_key) if wanted.api_key else None,
                          key_last4=key_hint(wanted.api_key) if wanted.api_key else None, updated_at=now)
            if current is None:
                provider = VideoProvider(id=ENVIRONMENT_PROVIDER_ID, name=ENVIRONMENT_PROVIDER_NAME, created_at=now,
                                         source=ProviderSource.ENVIRONMENT, **fields)
                await self.uow.video_providers.add(provider)
            else:
                provider = await self.uow.video_providers.update(evolve(current, **fields))
            await self.uow.commit()
        return provider

    def _same(self, current: VideoProvider, wanted: EnvironmentProvider) -> bool:
        try:
            key = self.secrets.open(current.sealed_key) if current.sealed_key is not None else None
        except SecretUnreadable:
            return False  # sealed under another SECRETS_KEY: seal it again under this one
        return (current.base_url, key, tuple(m.name for m in current.models)) == (
            wanted.base_url, wanted.api_key, (wanted.model,))

    async def _forget(self) -> None:
        async with self.uow:
            current = await self.uow.video_providers.get(ENVIRONMENT_PROVIDER_ID)
        if current is not None:
            await self.delete.remove(current.id, provider_target(current.id))
