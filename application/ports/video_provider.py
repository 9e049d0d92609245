"""Port: what the API asks a video provider directly (the queue runs its videos through GenerationBackend):
whether it answers and takes its key, and how one of its videos stands."""

from collections.abc import Awaitable, Callable
from typing import Protocol

from attrs import field, frozen


@frozen
class ProviderConnection:
    """Where a provider is and the key it takes (opened from its sealed form; never shown, never logged)."""

    provider_id: str
    name: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)


ConnectProvider = Callable[[str], Awaitable[ProviderConnection]]  # provider id -> its connection (NotFound if none)


@frozen
class ProviderCheck:
    reachable: bool
    key_accepted: bool | None  # None: not known (it did not answer, or answered something else)
    latency_ms: float | None = None
    error: str | None = None


@frozen
class RemoteVideo:
    """A video as the provider reports it (`GET /v1/videos/{id}`)."""

    id: str
    status: str  # queued | in_progress | completed | failed
    progress: float = 0.0
    model: str | None = None
    seconds: str | None = None
    size: str | None = None
    error_code: str | None = None
    error_message: str | None = None


class VideoProviderApi(Protocol):
    async def check(self, provider_id: str) -> ProviderCheck:
        """Ask the provider something cheap with its key (its video list): it answers, and takes the key."""
        ...

    async def video(self, provider_id: str, video_id: str) -> RemoteVideo | None:
        """The remote video (None: the provider has no such video). Raises UpstreamUnavailable."""
        ...
