"""The outbound guard: a server or provider URL the backend may not reach is a 400, and nothing is sent to it.

Tested with a denied loopback address (the allow-list leaves loopback out), never with a real outside one.
"""

import asyncio
import ipaddress
from pathlib import Path

import pytest

from domain.outbound import parse_networks
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.helpers import API
from tests.loopback_listener import counting_listener


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data",
                    outbound_allowed_networks=(ipaddress.ip_network("10.0.0.0/8"),))


@pytest.fixture
async def listener():
    """A loopback port that counts the connections made to it."""
    connections = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer.get_extra_info("peername"))
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", connections
    server.close()
    await server.wait_closed()


async def test_a_server_outside_the_allowed_networks_is_refused_without_a_connection(client, listener):
    url, connections = listener
    response = await client.post(f"{API}/comfyui/servers", json={"name": "x", "url": url})
    assert response.status == 400
    error = (await response.json())["error"]
    assert "OUTBOUND_ALLOWED_NETWORKS" in error["message"] and "url" in error["details"]["fields"]
    await asyncio.sleep(0.2)
    assert connections == []  # nothing was sent to it, not even a probe


@pytest.mark.parametrize("url", ["http://169.254.169.254", "http://[fe80::1]:8188", "http://0.0.0.0:8188"])
async def test_link_local_and_unspecified_addresses_are_refused(client, url):
    response = await client.post(f"{API}/comfyui/servers", json={"name": "x", "url": url})
    assert response.status == 400


async def test_a_provider_outside_the_allowed_networks_is_refused(client):
    response = await client.post(f"{API}/video-providers", json={"name": "p", "base_url": "http://127.0.0.1:9/v1"})
    assert response.status == 400
    assert "base_url" in (await response.json())["error"]["details"]["fields"]


# OUTBOUND_DENY, checked on resolved addresses (issue 12) ----------------------------------------------------------


@pytest.fixture
def deny_settings(tmp_path: Path) -> Settings:
    # no allow-list, so host names are resolved; only `localhost` is ever used here
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data",
                    outbound_deny=parse_networks("127.0.0.0/8, ::1/128"))


@pytest.fixture
async def deny_client(deny_settings, database, aiohttp_client):  # type: ignore[no-untyped-def]
    container = Container(settings=deny_settings)
    container.database.override(database)
    return await aiohttp_client(create_app(deny_settings, container))


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
async def test_a_server_whose_address_is_denied_is_a_400_naming_the_rule_and_never_contacted(deny_client, host):
    async with counting_listener() as (port, connections):
        response = await deny_client.post(f"{API}/comfyui/servers", json={"name": "x", "url": f"http://{host}:{port}"})
        error = (await response.json())["error"]
        assert response.status == 400 and "OUTBOUND_DENY" in error["details"]["fields"]["url"]
        await asyncio.sleep(0.1)
        assert connections == []


async def test_a_provider_whose_name_resolves_to_a_denied_address_is_a_400(deny_client):
    response = await deny_client.post(f"{API}/video-providers", json={"name": "p", "base_url": "http://localhost:9/v1"})
    assert response.status == 400
    assert "OUTBOUND_DENY" in (await response.json())["error"]["details"]["fields"]["base_url"]
