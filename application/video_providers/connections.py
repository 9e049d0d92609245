"""A provider's connection for the adapters: its URL and its key, opened from the sealed form when asked."""

from collections.abc import Callable

from attrs import define

from application.lookups import require
from application.ports.secret_box import SecretBox
from application.ports.unit_of_work import UnitOfWork
from application.ports.video_provider import ProviderConnection


@define
class ProviderConnections:
    """A `ConnectProvider`: NotFound for an unknown provider, SecretUnreadable for a key sealed under another key."""

    new_uow: Callable[[], UnitOfWork]
    secrets: SecretBox

    async def __call__(self, provider_id: str) -> ProviderConnection:
        async with self.new_uow() as uow:
            provider = await require(uow.video_providers, provider_id, "Video provider")
        key = self.secrets.open(provider.sealed_key) if provider.sealed_key is not None else None
        return ProviderConnection(provider.id, provider.name, provider.base_url, key)
