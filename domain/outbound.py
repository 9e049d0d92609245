"""Which hosts the backend may send requests to (ComfyUI servers, video providers, webhooks).

Denied always: link-local (169.254.0.0/16, fe80::/10), the cloud metadata addresses, multicast and unspecified
addresses, and whatever OUTBOUND_DENY adds. With an allow-list (OUTBOUND_ALLOW, or its older name
OUTBOUND_ALLOWED_NETWORKS) only addresses in it are allowed, and host names other than `localhost` are refused
rather than resolved, so checking a URL never sends a DNS query; without one, loopback, the private LAN and
the public internet are. Host names are checked again on the addresses they resolve to, at connect time.
"""

import ipaddress
from urllib.parse import urlsplit

from attrs import frozen

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
# Link-local (AWS, GCP, Azure, Oracle metadata at 169.254.169.254 and 169.254.170.2), AWS' IPv6 metadata,
# Alibaba's metadata, and IPv4-mapped IPv6 forms of link-local.
BUILT_IN_DENY: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32", "::ffff:169.254.0.0/112",
))


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


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").strip("[]").lower()


@frozen
class OutboundRule:
    allowed: tuple[IPNetwork, ...] = ()  # empty: any address not denied
    denied: tuple[IPNetwork, ...] = ()  # OUTBOUND_DENY, on top of BUILT_IN_DENY

    def refusal(self, url: str) -> str | None:
        """Why a request to `url` must not be sent, or None if it may (a host name: until resolved)."""
        host = _host(url)
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return self._name_refusal(host)
        return self.address_refusal(address)

    def address_refusal(self, address: IPAddress) -> str | None:
        """Why no connection may be opened to `address` (naming the rule), or None."""
        if address.is_link_local or address.is_multicast or address.is_unspecified:
            return f"{address} is a link-local, multicast or unspecified address"
        for network in BUILT_IN_DENY:
            if address.version == network.version and address in network:
                return f"{address} is in {network}, denied always (link-local, cloud metadata)"
        for network in self.denied:
            if address.version == network.version and address in network:
                return f"{address} is in OUTBOUND_DENY ({network})"
        if self.allowed and not any(address in network for network in self.allowed):
            return f"{address} is outside OUTBOUND_ALLOW (OUTBOUND_ALLOWED_NETWORKS)"
        return None

    def _name_refusal(self, host: str) -> str | None:
        if not self.allowed:
            return None
        if host == "localhost" and any(loopback.subnet_of(n) for n in self.allowed for loopback in LOOPBACK
                                       if loopback.version == n.version):
            return None
        return (f"host names other than localhost are refused while OUTBOUND_ALLOW (OUTBOUND_ALLOWED_NETWORKS) "
                f"is set (give {host}'s IP)")
