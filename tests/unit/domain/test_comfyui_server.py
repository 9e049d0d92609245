"""A server's address has one spelling; what was observed there is attached apart from its configuration."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.comfyui_server import (
    ComfyUIServer, HealthStatus, ModelCatalog, ServerHealth, ServerObservation, normalized_server_url,
)
from domain.errors import InvalidValue


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


def test_an_observation_replaces_what_a_server_carried_and_none_means_never_probed():
    at = datetime(2026, 3, 1, tzinfo=UTC)
    server = ComfyUIServer(id="s", name="gpu", url="http://gpu", created_at=at, updated_at=at)
    up = ServerHealth(HealthStatus.UP)
    seen = server.observed(ServerObservation(up, ModelCatalog(loras=("a",))))
    assert seen.available and seen.models.loras == ("a",) and seen.version == server.version
    assert seen.observed(None).health == ServerHealth() and not seen.observed(None).available
