"""GET /health/ready sees a dispatcher whose task is alive but whose loop has stopped finishing rounds."""

import asyncio
from pathlib import Path

import pytest
from attrs import define, field
from dependency_injector import providers

from entrypoints.container import Container
from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, error_of

TICK_S, STALL_S = 0.05, 0.4


@define
class StuckLease:
    """A dispatch lease whose `hold` hangs until released (a database call that never answers)."""

    unblocked: asyncio.Event = field(factory=asyncio.Event)
    holds: int = 0

    async def hold(self, owner: str, *, seconds: float) -> bool:
        self.holds += 1
        await self.unblocked.wait()
        return True

    async def release(self, owner: str) -> None:
        return None


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", comfyui_health_interval_s=0,
                    dispatch_tick_s=TICK_S, dispatch_stall_s=STALL_S)


def dispatcher_check(body) -> dict:  # type: ignore[no-untyped-def]
    return next(check for check in body["details"]["checks"] if check["name"] == "dispatcher")


async def test_a_healthy_dispatcher_stays_ready_past_the_threshold(client):
    await asyncio.sleep(STALL_S * 2.5)
    body = await body_of(await client.get(f"{API}/health/ready"))
    dispatcher = next(check for check in body["checks"] if check["name"] == "dispatcher")
    assert body["ready"] and dispatcher["ok"]


class TestAStalledDispatcher:
    @pytest.fixture
    def lease(self) -> StuckLease:
        return StuckLease()

    @pytest.fixture
    def container(self, container: Container, lease: StuckLease) -> Container:
        container.dispatch_lease.override(providers.Object(lease))
        return container

    async def test_is_not_ready_naming_the_dispatcher_until_its_rounds_resume(self, client, lease):
        async with asyncio.timeout(5):
            while lease.holds == 0:  # its first round has started, and hangs
                await asyncio.sleep(0.01)
        assert (await client.get(f"{API}/health/ready")).status == 200, "within the threshold: still ready"
        await asyncio.sleep(STALL_S * 1.5)
        error = await error_of(await client.get(f"{API}/health/ready"), 503)
        assert "dispatcher" in error["message"]
        assert dispatcher_check(error) == {**dispatcher_check(error), "ok": False, "required": True,
                                           "error": "DispatcherStalled"}
        lease.unblocked.set()
        await asyncio.sleep(TICK_S * 4)
        assert (await body_of(await client.get(f"{API}/health/ready")))["ready"]
