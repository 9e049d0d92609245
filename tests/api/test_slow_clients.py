"""Clients that stop sending, over raw sockets to a running server: a stalled body is a 408, a silent connection closed."""

import asyncio
import json
import time
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.slow_clients import server_options
from entrypoints.settings import Settings
from tests.api.helpers import API, new_project
from tests.media_samples import wav

BODY_TIMEOUT_S = 1.0
KEEPALIVE_TIMEOUT_S = 1.5
PATIENCE_S = 10.0  # far more than either timeout: a test that waits this long has found a hang
BOUNDARY = "slow-b0undary"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", queue_workers=False,
                    body_timeout_s=BODY_TIMEOUT_S, keepalive_timeout_s=KEEPALIVE_TIMEOUT_S)


@pytest.fixture
async def client(settings: Settings, container: Container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    """The app on a free loopback port, with the server options `storycanvas serve` uses."""
    server = TestServer(create_app(settings, container))
    await server.start_server(**server_options(settings))
    return await aiohttp_client(server)


async def connect(client: TestClient) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(client.server.host, client.server.port)


def request_head(method: str, path: str, content_type: str, length: int) -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


async def answer_then_close(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes, float]:
    """Status, headers and body of the one response, read until the server closes the connection."""
    started = time.monotonic()
    raw = await asyncio.wait_for(reader.read(), PATIENCE_S)  # returns at EOF only
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body, time.monotonic() - started


def upload_start(data: bytes) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"song.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\n").encode() + data


async def test_a_json_body_that_stalls_is_a_408_and_the_connection_is_closed(client: TestClient) -> None:
    reader, writer = await connect(client)
    writer.write(request_head("POST", f"{API}/projects", "application/json", 100) + b'{"name": "Sl')
    await writer.drain()
    status, headers, body, waited = await answer_then_close(reader)
    assert status == 408 and headers["connection"] == "close"
    assert json.loads(body)["error"]["code"] == "REQUEST_TIMEOUT"
    assert BODY_TIMEOUT_S * 0.9 <= waited < PATIENCE_S
    writer.close()
    assert (await client.get(f"{API}/projects")).status == 200, "the server goes on serving"


async def test_an_upload_that_stalls_is_a_408_and_nothing_stays_on_disk(
    client: TestClient, settings: Settings
) -> None:
    project = await new_project(client)
    reader, writer = await connect(client)
    path = f"{API}/media/projects/{project['id']}/upload-music"
    writer.write(request_head("POST", path, f"multipart/form-data; boundary={BOUNDARY}", 500_000))
    writer.write(upload_start(wav(10.0)))  # 160 kB of the announced 500 kB, then nothing
    await writer.drain()
    status, headers, body, _ = await answer_then_close(reader)
    assert status == 408 and headers["connection"] == "close"
    assert json.loads(body)["error"]["code"] == "REQUEST_TIMEOUT"
    assert [path for path in settings.upload_dir.rglob("*") if path.is_file()] == []
    writer.close()


async def test_an_upload_that_keeps_trickling_in_is_not_cut(client: TestClient, settings: Settings) -> None:
    """The timeout bounds a pause, not the whole upload: slow links still get their file through."""
    project = await new_project(client)
    data = upload_start(wav(1.0)) + f"\r\n--{BOUNDARY}--\r\n".encode()
    reader, writer = await connect(client)
    path = f"{API}/media/projects/{project['id']}/upload-music"
    writer.write(request_head("POST", path, f"multipart/form-data; boundary={BOUNDARY}", len(data)))
    pieces = [data[i:i + len(data) // 12 + 1] for i in range(0, len(data), len(data) // 12 + 1)]
    for piece in pieces:  # about 2.4 s in all, more than twice BODY_TIMEOUT_S
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(BODY_TIMEOUT_S / 5)
    status_line = await asyncio.wait_for(reader.readline(), PATIENCE_S)
    assert status_line.split()[1] == b"200"
    assert len([path for path in settings.upload_dir.rglob("*") if path.is_file()]) == 1
    writer.close()


async def test_a_request_whose_headers_never_end_is_disconnected(client: TestClient) -> None:
    reader, writer = await connect(client)
    writer.write(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    await writer.drain()
    started = time.monotonic()
    assert await asyncio.wait_for(reader.read(), PATIENCE_S) == b""
    assert time.monotonic() - started < PATIENCE_S
    writer.close()


async def test_an_idle_connection_is_closed_after_the_keepalive_timeout(client: TestClient) -> None:
    reader, writer = await connect(client)
    writer.write(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.readline(), PATIENCE_S)).split()[1] == b"200"
    started = time.monotonic()
    while await asyncio.wait_for(reader.read(65536), PATIENCE_S):  # the rest of the answer, then EOF
        pass
    assert KEEPALIVE_TIMEOUT_S * 0.9 <= time.monotonic() - started < PATIENCE_S
    writer.close()
