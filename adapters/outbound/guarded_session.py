"""aiohttp sessions whose every connection is checked against the outbound rule on the resolved address.

A host name is resolved by `GuardedResolver`, which refuses it when any address it resolves to is denied (a
DNS answer mixing allowed and denied addresses is a rebinding attempt); the socket factory checks the address
it is about to connect to once more, IP literals included (aiohttp does not resolve those). Refused, nothing
is sent: the request fails with `OutboundRefused` (an OSError, so a ClientConnectorError to the caller).
"""

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohappyeyeballs import AddrInfoType

from domain.outbound import OutboundRule


class OutboundRefused(OSError):
    """A connection the outbound rule does not allow; no packet was sent."""


class GuardedResolver(AbstractResolver):
    def __init__(self, rule: OutboundRule, inner: AbstractResolver | None = None) -> None:
        self.rule = rule
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            refusal = self.rule.address_refusal(ipaddress.ip_address(result["host"]))
            if refusal is not None:
                raise OutboundRefused(f"{host} resolves to a denied address: {refusal}")
        return results

    async def close(self) -> None:
        await self._inner.close()


def guarded_socket_factory(rule: OutboundRule) -> Callable[[AddrInfoType], socket.socket]:
    def open_socket(addr_info: AddrInfoType) -> socket.socket:
        family, kind, proto, _, address = addr_info
        refusal = rule.address_refusal(ipaddress.ip_address(address[0]))
        if refusal is not None:
            raise OutboundRefused(f"connection refused by the outbound guard: {refusal}")
        return socket.socket(family=family, type=kind, proto=proto)

    return open_socket


def guarded_session(rule: OutboundRule, **options: Any) -> aiohttp.ClientSession:
    """A ClientSession (options as aiohttp's) that connects only where `rule` allows."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(rule), socket_factory=guarded_socket_factory(rule))
    return aiohttp.ClientSession(connector=connector, **options)
