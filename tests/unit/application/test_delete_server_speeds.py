"""Unregistering a ComfyUI server forgets the job times learned of it: the stored ones, and this instance's model
(so its next sync does not store them again)."""

from datetime import UTC, datetime

from adapters.fakes.speed_records import InMemorySpeedRecords
from application.comfyui.delete_server import DeleteServer, DeleteServerHandler
from application.queue.speed import SpeedTracker
from domain.comfyui_server import ComfyUIServer
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from domain.speed_model import Estimate
from tests.unit.application.fakes import FakeWorld

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GONE, KEPT = "a" * 24, "b" * 24


def completed_on(server_id: str, model: str) -> QueueJob:
    return QueueJob(id="c" * 24, project_id="d" * 24, clip_id="e" * 24, kind=ContentKind.IMAGE, model=model,
                    params={}, output_node="9", created_at=NOW, updated_at=NOW, status=JobStatus.COMPLETED,
                    server_id=server_id)


async def test_deleting_a_server_forgets_its_stored_and_learned_speeds():
    world = FakeWorld()
    async with world.uow() as uow:
        await uow.comfyui_servers.add(ComfyUIServer(id=GONE, name="gpu", url="http://10.0.0.5:8188", created_at=NOW,
                                                    updated_at=NOW))
        await uow.commit()
    records = InMemorySpeedRecords({(GONE, "sdxl"): Estimate(3.0, 4), (KEPT, "sdxl"): Estimate(5.0, 2)})
    tracker = SpeedTracker(records)
    tracker.observe(completed_on(GONE, "flux"), seconds=7.0)  # learned here, not yet stored
    tracker.observe(completed_on(KEPT, "flux"), seconds=2.0)
    handler = DeleteServerHandler(world.uow(), world.observations(), speeds=records, tracker=tracker)
    await handler(DeleteServer(GONE))
    await tracker.sync(leader=True)
    assert records.rows == {(KEPT, "sdxl"): Estimate(5.0, 2), (KEPT, "flux"): Estimate(2.0)}
    assert all(server_id != GONE for server_id, _ in tracker.model.estimates)
