"""Hand-made multipart bodies on every upload route: a malformed form is a 400 envelope and leaves no file behind."""

from pathlib import Path

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from entrypoints.http.uploads import MAX_PARTS
from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, error_of, new_project
from tests.media_samples import image, wav

BOUNDARY = "b0undary-7f3a9c1e"
FORM = f"multipart/form-data; boundary={BOUNDARY}"
FILE = b'Content-Disposition: form-data; name="file"; filename="upload.bin"'


def part(headers: bytes, data: bytes) -> bytes:
    return b"--" + BOUNDARY.encode() + b"\r\n" + headers + b"\r\n\r\n" + data + b"\r\n"


def form(*parts: bytes, closing: bytes = b"--" + BOUNDARY.encode() + b"--\r\n") -> bytes:
    return b"".join(parts) + closing


def field(name: str, value: bytes = b"x") -> bytes:
    return part(f'Content-Disposition: form-data; name="{name}"'.encode(), value)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", max_music_size_mb=1,
                    max_image_size_mb=1)


@pytest.fixture(params=["music", "image"])
def route(request: pytest.FixtureRequest) -> str:
    return request.param


async def send(client: TestClient, route: str, body: bytes, content_type: str = FORM) -> ClientResponse:
    """POST a raw body to the music route (of a new project) or to the image route."""
    path = f"{API}/media/images"
    if route == "music":
        path = f"{API}/media/projects/{(await new_project(client))['id']}/upload-music"
    return await client.post(path, data=body, headers={"Content-Type": content_type})


def sample(route: str) -> bytes:
    return wav(0.1) if route == "music" else image("PNG")


def files_under(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


MALFORMED = {
    "part header without a colon": lambda data: form(part(b'Content-Disposition form-data; name="file"', data)),
    "NUL in the filename": lambda data: form(part(b'Content-Disposition: form-data; name="file"; filename="a\x00b.png"',
                                                  data)),
    "control character in the filename": lambda data: form(
        part(b'Content-Disposition: form-data; name="file"; filename="a\x01\x1bb.png"', data)),
    "truncated: the closing boundary never comes": lambda data: form(part(FILE, data), closing=b""),
    "truncated inside the file": lambda data: b"--" + BOUNDARY.encode() + b"\r\n" + FILE + b"\r\n\r\n" + data,
    "no boundary at all": lambda data: data,
    "a boundary line that is not the boundary": lambda data: form(part(FILE, data), closing=b"--other--\r\n"),
    "huge part header": lambda data: form(part(FILE + b"\r\nX-Padding: " + b"a" * 20_000, data)),
    "too many part headers": lambda data: form(part(FILE + b"\r\nX-Padding: a" * 300, data)),
    "malformed Content-Disposition": lambda data: form(
        part(b'Content-Disposition: form-data; name="file"; filename=a b c', data)),
    "malformed Content-Disposition of a first field": lambda data: form(
        part(b"Content-Disposition: form-data; name=a b c", b"x"), part(FILE, data)),
    "an overlong _charset_ part": lambda data: form(field("_charset_", b"x" * 40), part(FILE, data)),
    "two file parts": lambda data: form(part(FILE, data), part(FILE, data)),
    "a second file part after other fields": lambda data: form(field("note"), part(FILE, data), field("a"),
                                                               part(FILE, data)),
    "too many parts": lambda data: form(*[field(f"f{i}") for i in range(MAX_PARTS)], part(FILE, data)),
}


@pytest.mark.parametrize("shape", list(MALFORMED))
async def test_a_malformed_form_is_a_400_and_nothing_is_kept(
    client: TestClient, settings: Settings, route: str, shape: str
) -> None:
    response = await send(client, route, MALFORMED[shape](sample(route)))
    error = await error_of(response, 400)
    assert error["code"] == "VALIDATION_ERROR" and error["details"]["fields"], error
    assert files_under(settings.upload_dir) == [], "staged bytes are removed"


async def test_a_large_file_cut_short_is_a_400_and_its_staged_bytes_are_removed(
    client: TestClient, settings: Settings, route: str
) -> None:
    data = wav(40.0)  # 640 kB: several chunks are staged before the body ends without its boundary
    response = await send(client, route, form(part(FILE, data), closing=b""))
    assert (await error_of(response, 400))["code"] == "VALIDATION_ERROR"
    assert files_under(settings.upload_dir) == []


@pytest.mark.parametrize("content_type", [
    "multipart/form-data", f"multipart/form-data; boundary={'x' * 71}", "multipart/form-data; boundary=",
], ids=["no boundary parameter", "overlong boundary", "empty boundary"])
async def test_a_form_whose_boundary_cannot_be_used_is_a_400(
    client: TestClient, settings: Settings, route: str, content_type: str
) -> None:
    response = await send(client, route, form(part(FILE, sample(route))), content_type)
    assert (await error_of(response, 400))["code"] == "VALIDATION_ERROR"
    assert files_under(settings.upload_dir) == []


@pytest.mark.parametrize("content_type", [f"multipart/mixed; boundary={BOUNDARY}", "text/plain",
                                          "application/octet-stream"])
async def test_a_body_that_is_no_form_is_a_415(client: TestClient, route: str, content_type: str) -> None:
    response = await send(client, route, form(part(FILE, sample(route))), content_type)
    assert (await error_of(response, 415))["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_well_formed_hand_made_form_is_stored(client: TestClient, settings: Settings, route: str) -> None:
    """Fields around the file, a preamble and an epilogue are all fine; an encoded control character is dropped."""
    disposition = b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%00%01b%E2%80%AE.png"
    body = b"preamble\r\n" + form(field("note"), part(disposition + b"\r\nContent-Type: image/png", sample(route)),
                                  field("other"), closing=b"--" + BOUNDARY.encode() + b"--\r\nepilogue")
    stored = await body_of(await send(client, route, body), 200 if route == "music" else 201)
    assert (stored["music"] if route == "music" else stored)["original_name"] == "ab.png"
    assert len(files_under(settings.upload_dir)) == 1
