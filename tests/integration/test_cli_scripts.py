"""Commands reuse the use cases without HTTP: `storycanvas generate` and `queue-status` in a subprocess."""

import json
import os
import subprocess
import sys
import uuid

from adapters.mongo.client import connect
from adapters.mongo.converter import make_document_converter
from adapters.mongo.unit_of_work import MongoUnitOfWork
from tests.contract.test_repository import project, scene
from tests.contract.test_project_board_reader import clip


def storycanvas(*args: str, url: str, db_name: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"MONGO_URL": url, "DB_NAME": db_name}
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


async def test_generate_queues_a_projects_clips_and_queue_status_counts_them(secantus_url):
    db_name = f"cli_{uuid.uuid4().hex[:12]}"
    database = await connect(secantus_url, db_name)
    try:
        async with MongoUnitOfWork(database.handle, make_document_converter()) as uow:
            await uow.projects.add(project("p1"))
            await uow.scenes.add(scene("s1", 0))
            await uow.clips.add_all([clip("c1", "s1", 0.0), clip("c2", "s1", 1.0)])
            await uow.commit()
        queued = storycanvas("generate", "p1", "--model", "sdxl", "--json", url=secantus_url, db_name=db_name)
        assert queued.returncode == 0, queued.stderr
        assert json.loads(queued.stdout)["count"] == 2
        status = storycanvas("queue-status", url=secantus_url, db_name=db_name)
        assert json.loads(status.stdout)["counts"]["pending"] == 2
        missing = storycanvas("generate", "nope", "--model", "sdxl", url=secantus_url, db_name=db_name)
        assert missing.returncode == 3 and "Project with id 'nope' not found" in missing.stderr
    finally:
        await database.handle.client.drop_database(db_name)
        await database.close()
