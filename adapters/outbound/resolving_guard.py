"""The outbound guard for a URL given to the API: its literal address, or every address its name resolves to."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from attrs import define, field

from domain.outbound import OutboundRule

RESOLVE_TIMEOUT_S = 5.0


@define
class ResolvingGuard:
    rule: OutboundRule
    timeout_s: float = field(default=RESOLVE_TIMEOUT_S)

    async def refusal(self, url: str) -> str | None:
        """Why `url` may not be reached (naming the rule), or None; a name that does not resolve is not refused
        here (the server is then reported unreachable)."""
        refusal = self.rule.refusal(url)
        host = (urlsplit(url).hostname or "").strip("[]")
        if refusal is not None or not host or _is_ip(host):
            return refusal
        try:
            infos = await asyncio.wait_for(asyncio.get_running_loop().getaddrinfo(host, None, proto=socket.IPPROTO_TCP),
                                           self.timeout_s)
        except (OSError, TimeoutError):
            return None
        for *_, address in infos:
            refusal = self.rule.address_refusal(ipaddress.ip_address(address[0]))
            if refusal is not None:
                return f"{host} resolves to a denied address: {refusal}"
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
