"""Reads of registered providers that guard no invariant."""

from attrs import define

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from application.video_providers.views import ProviderView


@define
class ListProviders:
    uow: UnitOfWork

    async def __call__(self) -> list[ProviderView]:
        async with self.uow.reading():
            providers = await self.uow.video_providers.all()
        return [ProviderView.of(provider) for provider in providers]


@define
class GetProvider:
    uow: UnitOfWork

    async def __call__(self, provider_id: str) -> ProviderView:
        async with self.uow.reading():
            return ProviderView.of(await require(self.uow.video_providers, provider_id, "Video provider"))
