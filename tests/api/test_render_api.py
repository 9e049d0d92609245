"""The storyboard sheet and the animatic through the API on SecantusDB: files, pages, render jobs on the WebSocket."""

import threading
from pathlib import Path

import av
from aiohttp.test_utils import TestClient

from adapters.fakes.animatic_renderer import FakeAnimaticRenderer
from entrypoints.container import Container
from tests.api.helpers import API, body_of, error_of, new_clip, new_project, new_scene
from tests.api.test_live_updates_api import next_message, subscribe


async def board(client: TestClient) -> str:
    project = await new_project(client, name="Νύχτα — Ночь")
    verse = await new_scene(client, project["id"], name="Куплет")
    await new_clip(client, verse["id"], name="Πλάνο 1", length=0.8, lyrics="la la", image_prompt="a quiet sea")
    await new_clip(client, verse["id"], name="Кадр 2", length=0.6, timeline_position=0.8)
    return project["id"]


async def test_the_sheet_downloads_as_a_pdf_and_its_pages_as_pngs(client: TestClient) -> None:
    project_id = await board(client)
    pdf = await client.get(f"{API}/projects/{project_id}/storyboard.pdf", params={"layout": "2x3", "paper": "letter"})
    assert pdf.status == 200 and pdf.content_type == "application/pdf" and pdf.headers["X-Page-Count"] == "1"
    assert (await pdf.read()).startswith(b"%PDF-") and ".pdf" in pdf.headers["Content-Disposition"]
    png = await client.get(f"{API}/projects/{project_id}/storyboard.png", params={"page": "1"})
    assert png.status == 200 and png.content_type == "image/png"
    assert (await png.read()).startswith(b"\x89PNG")


async def test_bad_sheet_options_are_400_and_missing_pages_404(client: TestClient) -> None:
    project_id = await board(client)
    base = f"{API}/projects/{project_id}/storyboard"
    for path, query in ((".pdf", {"layout": "4x4"}), (".pdf", {"paper": "a3"}), (".png", {"page": "0"}),
                        (".png", {"page": "one"})):
        await error_of(await client.get(base + path, params=query), 400)
    await error_of(await client.get(base + ".png", params={"page": "2"}), 404)
    await error_of(await client.get(f"{API}/projects/{'f' * 24}/storyboard.pdf"), 404)


async def test_an_animatic_renders_in_the_background_streams_progress_and_is_served(
        client: TestClient, container: Container) -> None:
    project_id = await board(client)
    await error_of(await client.get(f"{API}/projects/{project_id}/animatic.mp4"), 404)  # before the first render
    socket, _ = await subscribe(client, project_id)
    job = await body_of(await client.post(f"{API}/projects/{project_id}/animatic",
                                          json={"fps": "25", "width": 320, "height": 180}), 202)
    assert (job["status"], job["settings"]) == ("pending", {"fps": "25", "width": 320, "height": 180,
                                                            "captions": True})
    statuses = []
    while not statuses or statuses[-1] not in ("done", "failed"):
        update = await next_message(socket, "animatic_update", timeout=60)
        assert update["id"] == job["id"] and update["project_id"] == project_id
        statuses.append(update["status"])
    await socket.close()
    assert statuses[-1] == "done" and "running" in statuses
    await container.render_tasks().wait()
    latest = await body_of(await client.get(f"{API}/projects/{project_id}/animatic"))
    assert (latest["status"], latest["progress"], latest["duration_s"]) == ("done", 1.0, 1.4)
    video = await client.get(f"{API}/projects/{project_id}/animatic.mp4")
    assert video.status == 200 and video.content_type == "video/mp4" and video.headers["ETag"]
    content = await video.read()
    ranged = await client.get(f"{API}/projects/{project_id}/animatic.mp4", headers={"Range": "bytes=0-99"})
    assert ranged.status == 206 and await ranged.read() == content[:100]
    again = await client.get(f"{API}/projects/{project_id}/animatic.mp4",
                             headers={"If-None-Match": video.headers["ETag"]})
    assert again.status == 304
    path = Path(container.settings().upload_dir) / latest["output_key"]
    with av.open(str(path)) as decoded:
        assert round(float(decoded.duration or 0) / av.time_base, 2) == 1.4


async def test_while_a_render_runs_the_file_and_a_second_render_are_409(
        client: TestClient, container: Container, tmp_path: Path) -> None:
    hold = threading.Event()
    container.animatic_renderer.override(FakeAnimaticRenderer(tmp_path / "renders", hold=hold))
    project_id = await board(client)
    await body_of(await client.post(f"{API}/projects/{project_id}/animatic"), 202)
    error = await error_of(await client.get(f"{API}/projects/{project_id}/animatic.mp4"), 409)
    assert "being rendered" in error["message"]
    await error_of(await client.post(f"{API}/projects/{project_id}/animatic", json={}), 409)
    hold.set()
    await container.render_tasks().wait()
    assert (await client.get(f"{API}/projects/{project_id}/animatic.mp4")).status == 200


async def test_bad_animatic_settings_are_400(client: TestClient) -> None:
    project_id = await board(client)
    for body in ({"fps": "12"}, {"width": 1921}, {"height": 10}, {"width": 640.5}, {"captions": "yes"}, {"codec": "vp9"},
                 {"project_id": project_id}):
        await error_of(await client.post(f"{API}/projects/{project_id}/animatic", json=body), 400)
    await error_of(await client.post(f"{API}/projects/{'f' * 24}/animatic"), 404)
    await error_of(await client.get(f"{API}/projects/{project_id}/animatic"), 404)
