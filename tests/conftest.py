"""Shared fixtures: one SecantusDB per test session, a fresh database per test, the app over it."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient

from adapters.fakes.music_analyser import FakeMusicAnalyser  # issue 13
from adapters.mongo.client import Database, connect
from adapters.mongo.embedded_server import EmbeddedSecantus
from domain.outbound import LOOPBACK
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--comfyui-url", default=None,
                     help="run the ComfyUI adapter tests against this real server instead of the simulator")


@pytest.fixture(scope="session")
def secantus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EmbeddedSecantus(tmp_path_factory.mktemp("secantus") / "db")
    yield server.start()
    server.stop()


@pytest.fixture
async def database(secantus_url: str) -> AsyncIterator[Database]:
    database = await connect(secantus_url, f"test_{uuid4().hex[:16]}")
    yield database
    await database.handle.client.drop_database(database.handle.name)
    await database.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # tests reach only loopback: a fuzzed server or provider URL elsewhere is refused, never contacted
    # issue 14: the product prefetches one prompt per server (SCHEDULER_PREFETCH=1); these tests count a server's
    # jobs at strict capacity (prefetch has tests of its own)
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", outbound_allowed_networks=LOOPBACK,
                    scheduler_prefetch=0)


@pytest.fixture
def container(settings: Settings, database: Database) -> Container:
    container = Container(settings=settings)
    container.database.override(database)
    container.music_analyser.override(FakeMusicAnalyser())  # issue 13: tests wanting madmom override it back
    return container


@pytest.fixture
async def client(settings: Settings, container: Container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    """The database is set up before the app and torn down after it (fixtures unwind in reverse)."""
    return await aiohttp_client(create_app(settings, container))
