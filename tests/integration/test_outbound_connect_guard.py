"""The outbound guard at connect time: denied resolved addresses are never connected to (loopback only)."""

import asyncio
import ipaddress
import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver

from adapters.outbound.guarded_session import GuardedResolver, OutboundRefused, guarded_session
from adapters.outbound.resolving_guard import ResolvingGuard
from domain.outbound import OutboundRule, parse_networks
from tests.loopback_listener import counting_listener

DENY_127_0_0_2 = OutboundRule(denied=parse_networks("127.0.0.2/32"))
DENY_LOCALHOST = OutboundRule(denied=parse_networks("127.0.0.1/32, ::1/128"))


async def _refused(rule: OutboundRule, url: str) -> OutboundRefused:
    async with guarded_session(rule) as session:
        with pytest.raises(aiohttp.ClientConnectorError) as failed:
            await session.get(url)
    assert isinstance(failed.value.os_error, OutboundRefused), failed.value.os_error
    return failed.value.os_error


async def test_a_denied_loopback_address_is_never_connected_to():
    async with counting_listener("127.0.0.2") as (port, connections):
        refused = await _refused(DENY_127_0_0_2, f"http://127.0.0.2:{port}/")
        assert "OUTBOUND_DENY (127.0.0.2/32)" in str(refused)
        await asyncio.sleep(0.05)
        assert connections == []


async def test_a_name_resolving_to_a_denied_address_is_refused_without_connecting():
    async with counting_listener("127.0.0.1") as (port, connections):
        refused = await _refused(DENY_LOCALHOST, f"http://localhost:{port}/")
        assert "localhost resolves to a denied address" in str(refused)
        await asyncio.sleep(0.05)
        assert connections == []


async def test_allowed_addresses_connect_as_usual():
    async with counting_listener("127.0.0.1") as (port, connections):
        async with guarded_session(DENY_127_0_0_2) as session:
            with pytest.raises(aiohttp.ClientError):  # the listener hangs up without answering
                await session.get(f"http://127.0.0.1:{port}/")
        assert connections  # (aiohttp tries an idempotent GET twice on a dropped connection)


class _Rebinding(AbstractResolver):
    """First an allowed address, then a denied one: what a rebinding DNS server answers."""

    def __init__(self) -> None:
        self.answers = ["127.0.0.1", "127.0.0.2"]

    async def resolve(self, host, port=0, family=socket.AF_INET):  # type: ignore[no-untyped-def]
        address = self.answers.pop(0)
        return [{"hostname": host, "host": address, "port": port, "family": family, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        pass


async def test_a_name_that_re_resolves_to_a_denied_address_is_refused_then():
    resolver = GuardedResolver(DENY_127_0_0_2, _Rebinding())
    assert [r["host"] for r in await resolver.resolve("gpu.example", 80)] == ["127.0.0.1"]
    with pytest.raises(OutboundRefused, match="gpu.example resolves to a denied address"):
        await resolver.resolve("gpu.example", 80)


async def test_the_registration_guard_resolves_names_and_names_the_rule():
    guard = ResolvingGuard(DENY_LOCALHOST)
    assert "OUTBOUND_DENY" in (await guard.refusal("http://localhost:8188") or "")
    assert await ResolvingGuard(DENY_127_0_0_2).refusal("http://localhost:8188") is None
    assert "OUTBOUND_DENY" in (await guard.refusal("http://127.0.0.1:8188") or "")


@pytest.mark.parametrize("address", ["169.254.169.254", "fe80::1", "fd00:ec2::254", "100.100.100.200",
                                     "::ffff:169.254.169.254"])
def test_metadata_and_link_local_addresses_are_denied_by_default(address):
    assert OutboundRule().address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.1.2.3", "192.168.1.20", "172.16.0.9", "8.8.8.8"])
def test_loopback_lan_and_public_addresses_are_allowed_by_default(address):
    assert OutboundRule().address_refusal(ipaddress.ip_address(address)) is None
