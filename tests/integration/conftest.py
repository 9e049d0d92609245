"""The ComfyUI under test: the simulator on a free port, or a real server given with --comfyui-url."""

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.comfyui.backend import ComfyUIBackend
from adapters.comfyui.http_client import ComfyUIHttp
from simulators.comfyui import CURRENT_VERSION, LEGACY_VERSION, SimulatorConfig
from tests.integration.simulator_support import running_simulator


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--comfyui-url"):
        kept = [item for item in items if "simulator_only" not in item.keywords]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests on a ComfyUI run on the simulator of today's ComfyUI and of 0.3.64 (or once on --comfyui-url)."""
    if "comfyui_url" in metafunc.fixturenames:
        versions = ["real"] if metafunc.config.getoption("--comfyui-url") else [CURRENT_VERSION, LEGACY_VERSION]
        metafunc.parametrize("comfyui_version", versions)


@pytest.fixture
async def comfyui_url(request: pytest.FixtureRequest, tmp_path: Path, comfyui_version: str) -> AsyncIterator[str]:
    real = request.config.getoption("--comfyui-url")
    if real:
        yield real.rstrip("/")
        return
    config = SimulatorConfig(root=tmp_path / "comfyui", node_latency={"ImageBlur": 0.5},
                             comfyui_version=comfyui_version)
    async with running_simulator(config) as simulator:
        yield simulator.url


@pytest.fixture
async def backend() -> AsyncIterator[ComfyUIBackend]:
    backend = ComfyUIBackend()
    yield backend
    await backend.close()


@pytest.fixture
async def comfyui_http(comfyui_url: str) -> AsyncIterator[ComfyUIHttp]:
    async with aiohttp.ClientSession() as session:
        yield ComfyUIHttp(session, comfyui_url)
