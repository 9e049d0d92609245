"""Media through the API on SecantusDB: streamed uploads, caps, types by content, safe paths, served files."""

import io
from pathlib import Path

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, delete, error_of, new_character, new_project
from tests.media_samples import encoded_audio, image, m4a_header, mp3_frame_header, png_header_only, wav

MUSIC_FORMATS = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "vorbis": "audio/ogg; codecs=vorbis",
                 "opus": "audio/ogg; codecs=opus", "aiff": "audio/aiff"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", max_music_size_mb=1,
                    max_image_size_mb=1, max_image_pixels=1_000_000)


def form(data: bytes, filename: str = "upload.bin", content_type: str = "application/octet-stream") -> FormData:
    body = FormData()
    body.add_field("note", "fields before the file are skipped")
    body.add_field("file", io.BytesIO(data), filename=filename, content_type=content_type)
    return body


def stored_files(settings: Settings) -> list[Path]:
    return sorted(path for path in settings.upload_dir.rglob("*") if path.is_file())


async def upload_music(client: TestClient, project_id: str, data: bytes, filename: str = "song.bin"):
    return await client.post(f"{API}/media/projects/{project_id}/upload-music", data=form(data, filename))


async def upload_image(client: TestClient, data: bytes, filename: str = "ref.bin", **params: str):
    return await client.post(f"{API}/media/images", data=form(data, filename), params=params)


def audio(name: str) -> bytes:
    return wav(1.0) if name == "wav" else encoded_audio(name)


@pytest.mark.parametrize("name", list(MUSIC_FORMATS))
async def test_music_in_every_format_is_read_and_stored_on_the_project(client, settings, name):
    project, data = await new_project(client), audio(name)
    body = await body_of(await upload_music(client, project["id"], data, f"../../{name}\u202e.txt"))
    music = body["music"]
    assert music["content_type"] == MUSIC_FORMATS[name] and abs(music["duration_s"] - 1.0) < 0.1
    assert music["original_name"] == f"{name}.txt" and body["music_file"] == music["key"]
    assert music["key"].startswith(f"projects/{project['id']}/music/") and name not in Path(music["key"]).stem
    assert [path.name for path in stored_files(settings)] == [Path(music["key"]).name]
    served = await client.get(music["url"])
    assert served.status == 200 and await served.read() == data
    assert served.headers["Content-Type"] == MUSIC_FORMATS[name]


async def test_replacing_the_music_removes_the_old_file(client, settings):
    project = await new_project(client)
    first = (await body_of(await upload_music(client, project["id"], wav(1.0))))["music"]
    second = (await body_of(await upload_music(client, project["id"], encoded_audio("flac"))))["music"]
    assert [path.name for path in stored_files(settings)] == [Path(second["key"]).name]
    assert (await client.get(first["url"])).status == 404


async def test_music_over_the_cap_is_a_413_and_nothing_stays_on_disk(client, settings):
    project = await new_project(client)
    error = await error_of(await upload_music(client, project["id"], wav(70.0, rate=8000)), 413)
    assert error["code"] == "PAYLOAD_TOO_LARGE" and "1 MB" in error["message"]
    assert stored_files(settings) == []
    assert (await body_of(await client.get(f"{API}/projects/{project['id']}")))["music"] is None


@pytest.mark.parametrize(("data", "filename"), [
    (image("PNG"), "song.mp3"), (b"plain text, not audio", "song.wav"), (mp3_frame_header(), "song.mp3"),
    (m4a_header(), "song.m4a"), (b"", "empty.mp3"), (b"MZ\x90\x00" * 100, "song.flac"),
], ids=["png-named-mp3", "text", "mp3-header-only", "m4a-header-only", "empty", "executable"])
async def test_music_is_judged_by_its_bytes_not_its_name(client, settings, data, filename):
    project = await new_project(client)
    error = await error_of(await upload_music(client, project["id"], data, filename), 415)
    assert error["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert stored_files(settings) == []


async def test_an_upload_that_is_not_a_multipart_form_is_a_415(client):
    project = await new_project(client)
    response = await client.post(f"{API}/media/projects/{project['id']}/upload-music", json={"file": "x"})
    assert (await error_of(response, 415))["code"] == "UNSUPPORTED_MEDIA_TYPE"
    missing = FormData(default_to_multipart=True)
    missing.add_field("other", "no file here")
    response = await client.post(f"{API}/media/projects/{project['id']}/upload-music", data=missing)
    assert (await error_of(response, 400))["details"]["fields"] == {"file": "missing"}


async def test_music_for_an_unknown_project_is_a_404(client, settings):
    assert (await error_of(await upload_music(client, "nope", wav(1.0)), 404))["code"] == "RESOURCE_NOT_FOUND"
    assert stored_files(settings) == []


async def test_an_image_for_a_character_is_verified_and_referenced(client, settings):
    project = await new_project(client)
    character = await new_character(client, project_id=project["id"])
    body = await body_of(await upload_image(client, image("JPEG", (40, 30)), "ref.png",
                                            character_id=character["id"]), 201)
    assert (body["format"], body["width"], body["height"], body["content_type"]) == ("jpeg", 40, 30, "image/jpeg")
    assert body["project_id"] == project["id"] and body["key"].endswith(".jpg")
    refreshed = await body_of(await client.get(f"{API}/characters/{character['id']}"))
    assert refreshed["reference_images"] == [body["url"]]
    assert (await client.get(body["url"])).headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
async def test_shared_images_in_each_format_are_stored(client, fmt):
    body = await body_of(await upload_image(client, image(fmt)), 201)
    assert body["key"].startswith("shared/images/") and body["format"] == fmt.lower()


async def test_a_decompression_bomb_is_refused_before_decoding(client, settings):
    error = await error_of(await upload_image(client, png_header_only(60_000, 60_000)), 413)
    assert "pixels" in error["message"]
    assert (await error_of(await upload_image(client, image("PNG", (1001, 1000))), 413))["code"] == "PAYLOAD_TOO_LARGE"
    assert (await error_of(await upload_image(client, png_header_only(10, 10)), 415))["code"] == \
        "UNSUPPORTED_MEDIA_TYPE"
    assert (await error_of(await upload_image(client, wav(0.1), "x.png"), 415))["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert stored_files(settings) == []


async def test_image_targets_must_exist(client):
    assert (await error_of(await upload_image(client, image("PNG"), project_id="nope"), 404))["code"]
    assert (await error_of(await upload_image(client, image("PNG"), character_id="nope"), 404))["code"]


async def test_files_are_served_with_validators_and_byte_ranges(client):
    project = await new_project(client)
    data = wav(1.0)
    url = (await body_of(await upload_music(client, project["id"], data)))["music"]["url"]
    whole = await client.get(url)
    assert whole.status == 200 and whole.headers["Content-Length"] == str(len(data))
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["ETag"] and whole.headers["Last-Modified"]
    part = await client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status == 206 and await part.read() == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    tail = await client.get(url, headers={"Range": "bytes=-10"})
    assert tail.status == 206 and await tail.read() == data[-10:]
    cached = await client.get(url, headers={"If-None-Match": whole.headers["ETag"]})
    assert cached.status == 304 and await cached.read() == b""


async def test_unsatisfiable_ranges_and_failed_preconditions_answer_in_the_envelope(client):
    project = await new_project(client)
    data = wav(0.5)
    url = (await body_of(await upload_music(client, project["id"], data)))["music"]["url"]
    for header in (f"bytes={len(data)}-", f"bytes={len(data) + 10}-{len(data) + 20}", "bytes=-0"):
        response = await client.get(url, headers={"Range": header})
        assert (await error_of(response, 416))["code"] == "RANGE_NOT_SATISFIABLE"
        assert response.headers["Content-Range"] == f"bytes */{len(data)}"
    response = await client.get(url, headers={"If-Match": '"not-the-etag"'})
    assert (await error_of(response, 412))["code"] == "PRECONDITION_FAILED"


@pytest.mark.parametrize("path", [
    "/shared/images/..%2F..%2F..%2Fetc%2Fpasswd", "/shared/images/%2Fetc%2Fpasswd", "/shared/images/a.png%00.txt",
    "/shared/images/%EF%BC%8F..%EF%BC%8Fsecret.png", "/shared/images/%E2%80%AEgnp.exe", "/shared/..%2F..%2Fx/a.png",
    "/projects/..%2F..%2F/music/a.png", "/projects/p/music/.staging", "/shared/images/secret.png",
])
async def test_paths_never_leave_the_upload_directory(client, settings, path):
    outside = settings.upload_dir.parent / "secret.png"
    outside.write_bytes(image("PNG"))
    (settings.upload_dir / "shared" / "images").mkdir(parents=True, exist_ok=True)
    (settings.upload_dir / "shared" / "images" / "secret.png").symlink_to(outside)
    response = await client.get(f"{API}/media/files{path}")
    assert response.status in (404, 400) and response.status != 200
    assert (await response.read()) != image("PNG")


async def test_deleting_a_project_deletes_its_media_directory(client, settings):
    project = await new_project(client)
    await body_of(await upload_music(client, project["id"], wav(1.0)))
    await body_of(await upload_image(client, image("PNG"), project_id=project["id"]), 201)
    shared = await body_of(await upload_image(client, image("GIF")), 201)
    deleted = await delete(client, f"/projects/{project['id']}")
    assert deleted["media_files"] == 2
    assert not (settings.upload_dir / "projects" / project["id"]).exists()
    assert [path.name for path in stored_files(settings)] == [Path(shared["key"]).name]
