"""A server's address has one spelling; what was observed there is attached apart from its configuration."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.comfyui_server import (
    MAX_CAPACITY, SERVER_URL, ComfyUIServer, HealthStatus, ModelCatalog, ServerHealth, ServerObservation,
    normalized_server_url,
)
from domain.errors import InvalidValue
from domain.validation import Named


@pytest.mark.parametrize(("given_url", "normalized"), [
    ("http://127.0.0.1:8188", "http://127.0.0.1:8188"),
    ("http://127.0.0.1:8188/", "http://127.0.0.1:8188"),
    ("HTTP://LocalHost:8188//", "http://localhost:8188"),
    ("http://gpu:80", "http://gpu"),
    ("https://gpu:443/comfy/", "https://gpu/comfy"),
    ("https://gpu:80", "https://gpu:80"),
    ("http://gpu:0080", "http://gpu"),
    ("http://[::1]:8188/", "http://[::1]:8188"),
    ("  http://GPU.local:8188  ", "http://gpu.local:8188"),
    ("http://gpu:8188/Comfy", "http://gpu:8188/Comfy"),  # paths are case-sensitive
])
def test_an_address_has_one_spelling(given_url, normalized):
    assert normalized_server_url(given_url) == normalized


def test_names_are_not_resolved_so_localhost_and_its_address_stay_two():
    assert normalized_server_url("http://localhost:8188") != normalized_server_url("http://127.0.0.1:8188")


@pytest.mark.parametrize("bad", ["ftp://x", "http://", "localhost:8188", "http://u:p@h:1", "http://@h",
                                 "http://h:99999", "http://h/?q=1", "http://h/#top"])
def test_what_is_no_base_url_is_refused(bad):
    with pytest.raises(InvalidValue):
        normalized_server_url(bad)


@given(st.sampled_from(["http://gpu:8188", "https://gpu", "http://10.0.0.5:81/x"]),
       st.sampled_from(["", "/", "//"]), st.booleans())
def test_normalising_is_idempotent(url, tail, upper):
    once = normalized_server_url((url.upper() if upper else url) + tail)
    assert normalized_server_url(once) == once


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.from_regex(SERVER_URL.pattern, fullmatch=True).filter(lambda url: len(url) <= SERVER_URL.max_length))
def test_every_url_the_pattern_allows_has_one_spelling_the_pattern_allows_too(url):
    SERVER_URL(None, Named("url"), url)
    normal = normalized_server_url(url)
    SERVER_URL(None, Named("url"), normal)
    assert normalized_server_url(normal) == normal


@pytest.mark.parametrize("url", ["http://[::1]:8188", "http://[2001:DB8::7]", "http://[::ffff:10.0.0.5]/comfy",
                                 "https://gpu-1.lan:0443/", "http://comfy_ui:8188", " http://10.0.0.5:8188\t"])
def test_the_pattern_takes_host_names_and_both_ip_versions(url):
    SERVER_URL(None, Named("url"), url)


@pytest.mark.parametrize("url", ["http://a b", "http://[::::]", "http://[1::2::3]", "http://[fe80::1%eth0]",
                                 "http://h:0", "http://h:65536", "http://h:", "http://-h", "http://u@h",
                                 "http://h/?x", "http://h/a b", "ftp://h", "http://"])
def test_the_pattern_refuses_what_is_no_base_url_or_no_clear_address(url):
    with pytest.raises(InvalidValue):
        SERVER_URL(None, Named("url"), url)


@pytest.mark.parametrize("capacity", [0, MAX_CAPACITY + 1])
def test_capacity_outside_its_range_is_refused(capacity):
    at = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(InvalidValue):
        ComfyUIServer(id="s", name="gpu", url="http://gpu", created_at=at, updated_at=at, capacity=capacity)


def test_an_observation_replaces_what_a_server_carried_and_none_means_never_probed():
    at = datetime(2026, 3, 1, tzinfo=UTC)
    server = ComfyUIServer(id="s", name="gpu", url="http://gpu", created_at=at, updated_at=at)
    up = ServerHealth(HealthStatus.UP)
    seen = server.observed(ServerObservation(up, ModelCatalog(loras=("a",))))
    assert seen.available and seen.models.loras == ("a",) and seen.version == server.version
    assert seen.observed(None).health == ServerHealth() and not seen.observed(None).available
