"""A provider as the API shows it: everything but its key, of which only whether one is set (and its last four
characters, for a long key) is told."""

from datetime import datetime

from attrs import frozen

from domain.video_provider import ProviderSource, VideoModel, VideoProvider


@frozen
class ProviderView:
    id: str
    name: str
    base_url: str
    models: tuple[VideoModel, ...]
    concurrency: int
    enabled: bool
    source: ProviderSource
    key_set: bool
    key_last4: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, provider: VideoProvider) -> "ProviderView":
        return cls(id=provider.id, name=provider.name, base_url=provider.base_url, models=provider.models,
                   concurrency=provider.concurrency, enabled=provider.enabled, source=provider.source,
                   key_set=provider.key_set, key_last4=provider.key_last4, created_at=provider.created_at,
                   updated_at=provider.updated_at, version=provider.version)
