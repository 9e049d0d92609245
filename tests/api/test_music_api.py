"""Music through the API: the analysis in the background, lyrics laid out as clips, scenes snapped to the beats."""

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from lxml import etree
from aiohttp.test_utils import TestClient

from adapters.fakes.music_analyser import FakeMusicAnalyser, steady_grid
from domain.music import BeatGrid, MusicAnalysis
from entrypoints.container import Container
from tests.api.helpers import API, body_of, error_of, get, new_clip, new_project, new_scene
from tests.media_samples import wav

DTD = etree.DTD(str(Path(__file__).parents[1] / "fixtures" / "FCPXMLv1_10.dtd"))
LRC = ("\ufeff[ti:Song]\r\n[offset:-250]\r\n[00:01.75]Première ligne\r\n[00:04.75]Вторая строка\r\n\r\n"
       "[Chorus]\r\n[00:07.75]Ρεφρέν <00:08.50>word\r\n[00:09.75]\r\n").encode()
SRT = ("1\r\n00:00:02,000 --> 00:00:03,500\r\nHello\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\n<i>wörld</i>\r\n"
       "two lines\r\n").encode()


def lyrics_form(data: bytes, filename: str, **fields: str) -> FormData:
    form = FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    form.add_field("file", io.BytesIO(data), filename=filename, content_type="text/plain")
    return form


async def upload_song(client: TestClient, project_id: str, filename: str = "song.wav") -> dict[str, Any]:
    form = FormData()
    form.add_field("file", io.BytesIO(wav(2.0)), filename=filename, content_type="audio/wav")
    return await body_of(await client.post(f"{API}/media/projects/{project_id}/upload-music", data=form))


async def finished_analysis(client: TestClient, project_id: str) -> dict[str, Any]:
    for _ in range(200):
        analysis = await get(client, f"/projects/{project_id}/music/analysis")
        if analysis["status"] != "pending":
            return analysis
        await asyncio.sleep(0.02)
    raise AssertionError("the analysis stayed pending")


async def analysed_project(client: TestClient) -> dict[str, Any]:
    project = await new_project(client)
    await upload_song(client, project["id"])
    assert (await finished_analysis(client, project["id"]))["status"] == "ready"
    return project


async def test_the_upload_answers_at_once_and_the_analysis_goes_from_pending_to_ready(client, container: Container):
    gate = asyncio.Event()
    container.music_analyser.override(FakeMusicAnalyser(default=steady_grid(100.0, 30.0, first_beat_s=0.3),
                                                        gate=gate))
    project = await new_project(client)
    uploaded = await upload_song(client, project["id"])
    pending = await get(client, f"/projects/{project['id']}/music/analysis")
    assert pending["status"] == "pending" and pending["music_key"] == uploaded["music"]["key"]
    gate.set()
    ready = await finished_analysis(client, project["id"])
    assert ready["status"] == "ready" and ready["tracker"] == "fake" and ready["reason"] is None
    assert ready["grid"]["tempo_bpm"] == 100.0 and ready["grid"]["beats"][:2] == [0.3, 0.9]
    assert ready["grid"]["downbeats"][1] == 2.7 and ready["grid"]["beats_per_bar"] == 4


async def test_an_analysis_that_fails_says_why_and_a_song_without_beats_is_ready_with_none(client, container):
    container.music_analyser.override(FakeMusicAnalyser(by_suffix={".wav": "The audio cannot be decoded"},
                                                        default=BeatGrid(duration_s=2.0)))
    project = await new_project(client)
    await upload_song(client, project["id"])
    failed = await finished_analysis(client, project["id"])
    assert failed["status"] == "failed" and failed["reason"] == "The audio cannot be decoded"
    again = await body_of(await client.post(f"{API}/projects/{project['id']}/music/analysis"), 202)
    assert again["status"] == "pending"
    other = await new_project(client)
    await upload_song(client, other["id"], "silence.flac.wav")
    assert (await finished_analysis(client, other["id"]))["status"] == "failed"


async def test_no_music_or_no_analysis_is_a_404(client):
    project = await new_project(client)
    error = await error_of(await client.get(f"{API}/projects/{project['id']}/music/analysis"), 404)
    assert "Music of project" in error["message"]
    await error_of(await client.post(f"{API}/projects/{project['id']}/music/analysis"), 404)


async def test_pending_analyses_left_by_a_crash_are_resumed_at_start_up(settings, container, aiohttp_client):
    from datetime import UTC, datetime

    from entrypoints.http.app import create_app
    first = await aiohttp_client(create_app(settings, container))
    project = await new_project(first)
    uploaded = await upload_song(first, project["id"])
    await container.music_analysis_runner().idle()
    store = container.music_analyses()
    crashed = MusicAnalysis.requested(project["id"], uploaded["music"]["key"], now=datetime.now(UTC))
    await store.put(crashed)  # as a crash mid-analysis leaves it
    container.music_analysis_runner.reset()
    second = await aiohttp_client(create_app(settings, container))
    assert (await finished_analysis(second, project["id"]))["status"] == "ready"


async def test_lrc_lyrics_make_new_scenes_at_blank_lines_and_section_tags(client):
    project = await new_project(client)
    created = await body_of(await client.post(f"{API}/projects/{project['id']}/lyrics",
                                              data=lyrics_form(LRC, "song.lrc")), 201)
    assert [scene["name"] for scene in created["scenes"]] == ["Lyrics 1", "Chorus"]
    first, second, chorus = created["clips"]
    assert first["lyrics"] == "Première ligne" and first["timeline_position"] == 2.0 and first["length"] == 3.0
    assert second["lyrics"] == "Вторая строка" and second["scene_id"] == created["scenes"][0]["id"]
    assert chorus["lyrics"] == "Ρεφρέν word" and chorus["scene_id"] == created["scenes"][1]["id"]
    assert chorus["timeline_position"] == 0.0 and chorus["length"] == 2.0  # the chorus scene starts at 8 s
    board = await get(client, f"/projects/{project['id']}?include=scenes")
    assert board is not None


async def test_srt_lyrics_go_into_the_given_scene_at_their_times(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    created = await body_of(await client.post(f"{API}/projects/{project['id']}/lyrics",
                                              data=lyrics_form(SRT, "subs.srt", scene_id=scene["id"])), 201)
    assert created["scenes"] == []
    assert [(c["timeline_position"], c["length"], c["lyrics"]) for c in created["clips"]] == [
        (2.0, 1.5, "Hello"), (4.0, 2.0, "wörld\ntwo lines")]
    clash = await client.post(f"{API}/projects/{project['id']}/lyrics",
                              data=lyrics_form(SRT, "subs.srt", scene_id=scene["id"]))
    assert "overlaps" in (await error_of(clash, 409))["message"]


@pytest.mark.parametrize(("data", "filename", "line"), [
    (b"[00:01.00]fine\n[00:02.00]fine\nnot a lyric line\n", "a.lrc", 3),
    (b"[00:01.00]fine\n[00:75.00]seconds past 59\n", "a.lrc", 2),
    (b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbroken arrow\n", "a.srt", 6),
    (b"[00:01.00]caf\xe9\n", "a.lrc", 1),
])
async def test_a_malformed_lyrics_file_is_a_400_naming_the_line(client, data, filename, line):
    project = await new_project(client)
    error = await error_of(await client.post(f"{API}/projects/{project['id']}/lyrics",
                                             data=lyrics_form(data, filename)), 400)
    assert error["details"]["fields"]["file"].startswith(f"line {line}:")


async def test_snap_without_analysed_music_is_a_409_saying_why(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    error = await error_of(await client.post(f"{API}/scenes/{scene['id']}/snap", json={"to": "beat"}), 409)
    assert "no music" in error["message"]


async def test_snap_moves_clips_onto_beats_counting_the_scene_start_and_twice_changes_nothing(client):
    project = await analysed_project(client)  # the fake's grid: 120 BPM from 0 s, bars of 4 beats
    first = await new_scene(client, project["id"], name="Intro")
    await new_clip(client, first["id"], length=3.3)
    second = await new_scene(client, project["id"], name="Verse")
    await new_clip(client, second["id"], length=1.2)
    await new_clip(client, second["id"], timeline_position=1.4, length=2.9)
    snapped = await body_of(await client.post(f"{API}/scenes/{second['id']}/snap", json={"to": "beat"}))
    assert snapped["scene_start_s"] == 3.3 and snapped["moved"] == 2
    assert [(c["timeline_position"], c["length"]) for c in snapped["clips"]] == [(0.2, 1.0), (1.2, 3.0)]
    again = await body_of(await client.post(f"{API}/scenes/{second['id']}/snap", json={"to": "beat"}))
    assert again["moved"] == 0 and again["clips"] == snapped["clips"]
    bars = await body_of(await client.post(f"{API}/scenes/{first['id']}/snap",
                                           json={"to": "bar", "fit_model": "ltxv-t2v"}))
    assert [(c["timeline_position"], c["length"]) for c in bars["clips"]] == [(0.0, 3.708333)]  # 89 frames


async def test_snap_refuses_an_unknown_fit_model_and_unit(client):
    project = await analysed_project(client)
    scene = await new_scene(client, project["id"])
    await new_clip(client, scene["id"])
    error = await error_of(await client.post(f"{API}/scenes/{scene['id']}/snap",
                                             json={"to": "beat", "fit_model": "sdxl"}), 400)
    assert "fit_model" in error["details"]["fields"]
    await error_of(await client.post(f"{API}/scenes/{scene['id']}/snap", json={"to": "quaver"}), 400)


async def test_exports_carry_beat_and_bar_markers_when_asked(client):
    project = await analysed_project(client)
    scene = await new_scene(client, project["id"])
    await new_clip(client, scene["id"], length=4.0)
    plain = await client.get(f"{API}/projects/{project['id']}/export/json")
    assert "beat" not in [m.get("kind") for m in (await plain.json()).get("markers", [])]
    beats = await (await client.get(f"{API}/projects/{project['id']}/export/json",
                                    params={"markers": "beats"})).json()
    assert [m["frame"] for m in beats["markers"] if m["kind"] == "beat"] == [0, 12, 24, 36, 48, 60, 72, 84]
    edl = await (await client.get(f"{API}/projects/{project['id']}/export/edl", params={"markers": "bars"})).text()
    assert "MAGENTA Bar 1" in edl and "MAGENTA Bar 2" in edl and "Bar 3" not in edl
    fcpxml = await (await client.get(f"{API}/projects/{project['id']}/export/fcpxml",
                                     params={"markers": "bars"})).text()
    assert 'value="Bar 2"' in fcpxml
    assert DTD.validate(etree.fromstring(fcpxml.encode())), DTD.error_log.filter_from_errors()
    otio_file = await (await client.get(f"{API}/projects/{project['id']}/export/otio",
                                        params={"markers": "beats"})).json()
    assert sum(m["metadata"]["storycanvas"]["kind"] == "beat" for m in otio_file["tracks"]["markers"]) == 8
    await error_of(await client.get(f"{API}/projects/{project['id']}/export/json", params={"markers": "x"}), 400)
    bare = await new_project(client)
    error = await error_of(await client.get(f"{API}/projects/{bare['id']}/export/otio", params={"markers": "beats"}),
                           409)
    assert "no music" in error["message"]
