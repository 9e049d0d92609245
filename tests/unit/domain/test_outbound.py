import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.outbound import LOOPBACK, OutboundRule, parse_networks

LOOPBACK_ONLY = OutboundRule(LOOPBACK)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://[fe80::1]:8188",
                                 "http://0.0.0.0:8188", "http://224.0.0.1"])
def test_link_local_multicast_and_unspecified_addresses_are_never_allowed(url: str) -> None:
    assert OutboundRule().refusal(url) is not None and LOOPBACK_ONLY.refusal(url) is not None


def test_without_an_allow_list_other_addresses_and_names_are_allowed() -> None:
    assert OutboundRule().refusal("http://10.0.0.5:8188") is None
    assert OutboundRule().refusal("http://gpu-1.studio.lan:8188") is None


def test_an_allow_list_admits_only_its_addresses_and_localhost() -> None:
    assert LOOPBACK_ONLY.refusal("http://127.0.0.1:8188") is None
    assert LOOPBACK_ONLY.refusal("http://[::1]:8188") is None
    assert LOOPBACK_ONLY.refusal("http://localhost:8188") is None
    assert "OUTBOUND_ALLOWED_NETWORKS" in (LOOPBACK_ONLY.refusal("http://10.0.0.5:8188") or "")
    assert "host names" in (LOOPBACK_ONLY.refusal("http://gpu-1.studio.lan") or "")


@given(st.ip_addresses())
def test_with_the_loopback_allow_list_only_loopback_addresses_pass(address) -> None:
    host = f"[{address}]" if address.version == 6 else str(address)
    allowed = LOOPBACK_ONLY.refusal(f"http://{host}:8188") is None
    assert allowed == (address.is_loopback and not address.is_link_local)


def test_networks_parse_and_a_bad_entry_is_named() -> None:
    assert parse_networks("10.0.0.0/8, 127.0.0.1") == (ipaddress.ip_network("10.0.0.0/8"),
                                                       ipaddress.ip_network("127.0.0.1/32"))
    with pytest.raises(ValueError, match="'nope'"):
        parse_networks("10.0.0.0/8,nope")
