"""HEAD on every GET route, and byte ranges on served files as RFC 9110 has them."""

import asyncio
import io
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from multidict import CIMultiDictProxy

from entrypoints.http.routes import OPERATIONS
from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, error_of, new_project
from tests.media_samples import wav

DATA = wav(0.5)  # 8 kB
SIZE = len(DATA)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", queue_workers=False)


@pytest.fixture
async def project(client: TestClient) -> dict[str, Any]:
    return await new_project(client)


@pytest.fixture
async def url(client: TestClient, project: dict[str, Any]) -> str:
    """A stored music file's URL."""
    form = FormData()
    form.add_field("file", io.BytesIO(DATA), filename="song.wav", content_type="audio/wav")
    response = await client.post(f"{API}/media/projects/{project['id']}/upload-music", data=form)
    return (await body_of(response))["music"]["url"]


async def fetch(client: TestClient, url: str, method: str = "GET",
                **headers: str) -> tuple[int, CIMultiDictProxy[str], bytes]:
    response = await client.request(method, url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    return response.status, response.headers, await response.read()


# HEAD ---------------------------------------------------------------------------------------------------------


async def test_head_answers_like_get_without_a_body(client: TestClient, project: dict[str, Any], url: str) -> None:
    for path in ("/api/v1/health", "/api/v1/projects", f"/api/v1/projects/{project['id']}",
                 f"/api/v1/scenes/project/{project['id']}", "/api/v1/openapi.json", url):
        got = await client.get(path)
        head = await client.head(path)
        assert (head.status, got.status) == (200, 200), path
        assert await head.read() == b"", path
        for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges"):
            assert head.headers.get(header) == got.headers.get(header), (path, header)
        assert int(head.headers["Content-Length"]) == len(await got.read()), path


async def test_head_of_a_media_file_gives_its_size_and_ignores_a_range(client: TestClient, url: str) -> None:
    status, headers, body = await fetch(client, url, "HEAD")
    assert (status, headers["Content-Length"], body) == (200, str(SIZE), b"")
    status, headers, body = await fetch(client, url, "HEAD", Range="bytes=0-9")  # ranges are for GET only
    assert (status, headers["Content-Length"], body) == (200, str(SIZE), b"")
    assert "Content-Range" not in headers


async def test_head_of_a_missing_entity_is_a_404_without_a_body(client: TestClient) -> None:
    head = await client.head(f"{API}/projects/nope")
    assert (head.status, head.content_type, await head.read()) == (404, "application/json", b"")
    assert int(head.headers["Content-Length"]) > 0


@pytest.mark.parametrize("path", sorted({op.path for op in OPERATIONS if op.method == "GET"}))
async def test_every_get_route_answers_head(client: TestClient, path: str) -> None:
    concrete = path
    for name in {part[1:-1] for part in path.split("/") if part.startswith("{")}:
        concrete = concrete.replace("{" + name + "}", "nope")
    head = await client.head(concrete)
    assert head.status not in (405, 500), (concrete, head.status)
    assert await head.read() == b""


# Ranges -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=100-199", 100, 199), ("bytes=100-", 100, SIZE - 1), ("bytes=-500", SIZE - 500, SIZE - 1),
    (f"bytes=-{SIZE + 100}", 0, SIZE - 1), ("bytes=100-99999999", 100, SIZE - 1), ("bytes=0-0", 0, 0),
    ("Bytes=10-19", 10, 19), ("bytes=10-19, ,", 10, 19), ("bytes=0-9,5-19", 0, 19), ("bytes=10-19,0-9", 0, 19),
    (f"bytes=0-9,{SIZE}-", 0, 9), (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE - 1),
], ids=["closed", "open", "suffix", "suffix longer than the file", "last past the end", "one byte",
        "unit in capitals", "empty list elements", "overlapping ranges merge", "adjacent ranges merge",
        "an unsatisfiable range beside a good one", "last byte"])
async def test_a_satisfiable_range_is_a_206(client: TestClient, url: str, header: str, first: int, last: int) -> None:
    status, headers, body = await fetch(client, url, Range=header)
    assert status == 206 and body == DATA[first:last + 1]
    assert headers["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert headers["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize("header", [
    "bytes=500-100", "lines=1-2", "bytes=abc", "bytes=", "bytes=1-2-3", "bytes 1-2", "bytes=--5", "bytes=0-1x",
    "bytes=-", "bytes=+1-2", "bytes=１-2", "=0-1", "bytes=0-1;q=2", "bytes=" + ",".join(["0-1"] * 101),
], ids=["last before first", "another unit", "letters", "no ranges", "three numbers", "no equals sign",
        "double dash", "trailing garbage", "bare dash", "plus sign", "non-ASCII digit", "no unit", "parameter",
        "too many ranges"])
async def test_a_malformed_range_is_ignored(client: TestClient, url: str, header: str) -> None:
    status, headers, body = await fetch(client, url, Range=header)
    assert (status, body) == (200, DATA)
    assert "Content-Range" not in headers


async def test_several_ranges_that_do_not_merge_give_the_whole_file(client: TestClient, url: str) -> None:
    status, headers, body = await fetch(client, url, Range="bytes=0-9,20-29,-5")
    assert (status, body, headers["Content-Length"]) == (200, DATA, str(SIZE))
    assert "Content-Range" not in headers and headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0",
                                    f"bytes={SIZE}-,{SIZE + 5}-,-0"])
async def test_an_unsatisfiable_range_is_a_416_with_the_size(client: TestClient, url: str, header: str) -> None:
    response = await client.get(url, headers={"Range": header})
    assert (await error_of(response, 416))["code"] == "RANGE_NOT_SATISFIABLE"
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"


async def test_if_range_with_the_current_etag_or_date_gives_the_range(client: TestClient, url: str) -> None:
    _, whole, _ = await fetch(client, url)
    etag, last_modified = whole["ETag"], whole["Last-Modified"]
    for validator in (etag, last_modified):
        status, headers, body = await fetch(client, url, Range="bytes=0-9", If_Range=validator)
        assert (status, body, headers["Content-Range"]) == (206, DATA[:10], f"bytes 0-9/{SIZE}"), validator


async def test_if_range_with_another_validator_gives_the_whole_file(client: TestClient, url: str) -> None:
    _, whole, _ = await fetch(client, url)
    earlier = formatdate(parsedate_to_datetime(whole["Last-Modified"]).timestamp() - 60, usegmt=True)
    for validator in ('"another-etag"', "W/" + whole["ETag"], earlier, "not a validator"):
        status, headers, body = await fetch(client, url, Range="bytes=0-9", If_Range=validator)
        assert (status, body) == (200, DATA), validator
        assert "Content-Range" not in headers
    status, _, body = await fetch(client, url, Range=f"bytes={SIZE}-", If_Range='"another-etag"')
    assert (status, body) == (200, DATA), "a stale copy gets the whole file, not a 416"


async def test_not_modified_goes_before_the_range(client: TestClient, url: str) -> None:
    _, whole, _ = await fetch(client, url)
    for header in ("bytes=0-9", f"bytes={SIZE}-", "lines=1-2"):
        status, _, body = await fetch(client, url, Range=header, If_None_Match=whole["ETag"])
        assert (status, body) == (304, b""), header


async def test_a_header_that_is_not_utf8_does_not_break_a_range(client: TestClient, url: str) -> None:
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\nConnection: close\r\n".encode()
                 + b"X-Latin-1: caf\xe9 \xff\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 206 ") and answer.endswith(b"\r\n\r\n" + DATA[:10])
