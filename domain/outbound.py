"""Which hosts the backend may send requests to (ComfyUI servers, video providers).

Link-local, multicast and unspecified addresses are never allowed (169.254.169.254 is a cloud's metadata
service). With `allowed` networks set, only IP addresses in them are (and `localhost` when loopback is):
host names are then refused rather than resolved, so checking a URL never sends a DNS query.
"""

import ipaddress
from urllib.parse import urlsplit

from attrs import frozen

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """`10.0.0.0/8, 127.0.0.1` -> networks; raises ValueError naming a bad entry."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP network (e.g. 10.0.0.0/8 or 127.0.0.1)") from None
    return tuple(networks)


@frozen
class OutboundRule:
    allowed: tuple[IPNetwork, ...] = ()  # empty: any address but the never-allowed ones

    def refusal(self, url: str) -> str | None:
        """Why a request to `url` must not be sent, or None if it may."""
        host = (urlsplit(url).hostname or "").strip("[]").lower()
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return self._name_refusal(host)
        if address.is_link_local or address.is_multicast or address.is_unspecified:
            return f"{host} is a link-local, multicast or unspecified address"
        if self.allowed and not any(address in network for network in self.allowed):
            return f"{host} is outside OUTBOUND_ALLOWED_NETWORKS"
        return None

    def _name_refusal(self, host: str) -> str | None:
        if not self.allowed:
            return None
        if host == "localhost" and any(loopback.subnet_of(n) for n in self.allowed for loopback in LOOPBACK
                                       if loopback.version == n.version):
            return None
        return f"host names other than localhost are refused while OUTBOUND_ALLOWED_NETWORKS is set (give {host}'s IP)"
