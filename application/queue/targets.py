"""Where the dispatcher runs jobs: registered ComfyUI servers, and video providers (each a slot of its own)."""

from collections.abc import Mapping

from attrs import frozen

from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer, HealthStatus
from domain.scheduling import ServerState
from domain.video_provider import VideoProvider, provider_of


@frozen
class RunTarget:
    """The id a claimed job records (`server_id`), the address its backend is called with, and whether checks
    found it gone (what ran there is lost)."""

    id: str
    address: str
    down: bool = False


def server_run_target(server: ComfyUIServer) -> RunTarget:
    return RunTarget(server.id, server.url, server.health.status is HealthStatus.DOWN)


def provider_run_target(provider: VideoProvider) -> RunTarget:
    return RunTarget(provider.target, provider.target)  # the backend registry routes `provider:<id>`


def provider_state(provider: VideoProvider, running: int) -> ServerState:
    """A provider's concurrency limit is its capacity; it takes only the jobs that target it."""
    return ServerState(provider.target, max(provider.concurrency - running, 0), dedicated=True)


def run_targets(servers: Mapping[str, ComfyUIServer], providers: Mapping[str, VideoProvider]) -> dict[str, RunTarget]:
    """Every target by the id jobs record: servers by their id, providers by `provider:<id>`."""
    return {**{s.id: server_run_target(s) for s in servers.values()},
            **{p.target: provider_run_target(p) for p in providers.values()}}


async def backend_address(uow: UnitOfWork, server_id: str | None) -> str | None:
    """The address to call a claimed job's backend with: a provider target is its own, a server's is its URL."""
    if provider_of(server_id) is not None:
        return server_id
    async with uow:
        server = await uow.comfyui_servers.get(server_id or "")
    return None if server is None else server.url
