"""One database bootstrap for the API and the scripts: the container's `database` Resource, and the DATA_DIR's
SecantusDB shared by every process opened on it."""

import json
import threading
import time
from pathlib import Path

from adapters.mongo.data_dir_database import DataDirDatabase
from adapters.mongo.embedded_server import EmbeddedSecantus, answers
from adapters.mongo.unit_of_work import MongoUnitOfWork
from entrypoints.container import Container, database_lifetime
from entrypoints.settings import Settings
from tests.integration.serve_support import gone_within, secantus_pids


async def test_the_database_resource_opens_for_the_block_and_hands_factories_the_database(
        tmp_path: Path, secantus_url: str):
    container = Container(settings=Settings(mongo_url=secantus_url, db_name="bootstrap", data_dir=tmp_path / "data"))
    async with database_lifetime(container):
        assert isinstance(container.uow(), MongoUnitOfWork)
        await container.database().ping()
    assert not container.database.initialized
    assert not (tmp_path / "data").exists(), "with MONGO_URL set nothing is started in DATA_DIR"


async def test_the_embedded_database_is_started_once_per_data_dir_and_stopped_by_its_owner(tmp_path: Path):
    owner, guest = DataDirDatabase(tmp_path), DataDirDatabase(tmp_path)
    url = owner.open()
    try:
        assert guest.open() == url
        [pid] = secantus_pids(tmp_path)
        guest.close()
        assert secantus_pids(tmp_path) == [pid]
        assert json.loads((tmp_path / "secantus.lock").read_text())["pid"] == pid
    finally:
        owner.close()
    assert gone_within(pid, 1)
    assert not (tmp_path / "secantus.lock").exists()


def test_the_embedded_database_outlives_the_thread_that_started_it(tmp_path: Path):
    """The app starts it from a worker thread (asyncio.to_thread): a guard bound to that thread, as
    PR_SET_PDEATHSIG is, would stop the database as soon as the thread ends."""
    server = EmbeddedSecantus(tmp_path / "db")
    starter = threading.Thread(target=server.start)
    starter.start()
    starter.join()
    try:
        time.sleep(1.0)
        assert server.process is not None and server.process.poll() is None
        assert answers(server.port)
    finally:
        server.stop()
