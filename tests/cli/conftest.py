"""CLI tests run on the session's SecantusDB, one fresh database per test (MONGO_URL and DB_NAME of `settings`)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.mongo.client import Database
from domain.outbound import LOOPBACK
from entrypoints.container import Container
from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig
from tests.integration.simulator_support import SimulatorClient, running_simulator


@pytest.fixture
def cli_settings(secantus_url: str, database: Database, tmp_path: Path) -> Settings:
    return Settings(mongo_url=secantus_url, db_name=database.handle.name, upload_dir=tmp_path / "uploads",
                    data_dir=tmp_path / "data", outbound_allowed_networks=LOOPBACK, comfyui_health_interval_s=0,
                    dispatch_tick_s=0.05)


@pytest.fixture
def cli_container(cli_settings: Settings, database: Database) -> Container:
    """The same database and media directory as the commands, to seed and to look at what they did."""
    container = Container(settings=cli_settings)
    container.database.override(database)
    return container


@pytest.fixture
async def simulator(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    """A ComfyUI simulator on a free loopback port (served by the test's loop; the commands run on threads)."""
    async with running_simulator(SimulatorConfig(root=tmp_path / "comfyui")) as client:
        yield client
