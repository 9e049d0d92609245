"""Commands on DATA_DIR's embedded database: beside a running `storycanvas serve` they share its SecantusDB."""

import pytest

from domain.outbound import LOOPBACK
from entrypoints.settings import Settings
from tests.cli.cli_support import ok, ok_json
from tests.integration.serve_support import Server, request, secantus_pids

pytestmark = pytest.mark.timeout(300)


async def test_commands_share_the_running_servers_database_and_work_alone_after_it_stops(tmp_path):
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, upload_dir=data_dir / "uploads", outbound_allowed_networks=LOOPBACK,
                        comfyui_health_interval_s=0)
    server = Server(data_dir)
    try:
        server.wait_until_up()
        [database_pid] = secantus_pids(data_dir)
        project_id = await ok(settings, "projects", "create", "Shared")
        assert request(f"{server.base}/projects/{project_id}")["name"] == "Shared"
        made = request(f"{server.base}/projects", {"name": "From the API"})
        listed = await ok_json(settings, "projects", "list")
        assert {p["id"] for p in listed["items"]} == {project_id, made["id"]}
        assert secantus_pids(data_dir) == [database_pid]  # no second SecantusDB, the server's still runs
        request(f"{server.base}/health")
    finally:
        server.stop()  # SIGTERM to the server's pid; it stops its SecantusDB
    assert secantus_pids(data_dir) == []
    alone = await ok_json(settings, "projects", "list")
    assert alone["total"] == 2
    assert secantus_pids(data_dir) == []  # the command's own SecantusDB stopped with it
