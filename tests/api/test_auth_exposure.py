"""`serve` refuses an open API on a non-loopback address; AUTH_* settings are read and checked."""

import pytest

from domain.access import Role
from entrypoints.cli.__main__ import main
from entrypoints.http.exposure import exposure_refusal
from entrypoints.settings import Settings, SettingsError, load_settings


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.5", "::1", "[::1]", "localhost"])
def test_loopback_serves_open(host):
    assert exposure_refusal(Settings(), host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "gpu-box.lan"])
def test_an_exposed_address_without_auth_is_refused_in_one_line(host):
    refusal = exposure_refusal(Settings(), host)
    assert refusal is not None and "\n" not in refusal and "AUTH_DISABLED=true" in refusal


def test_an_exposed_address_serves_with_keys_or_when_disabled_on_purpose():
    assert exposure_refusal(Settings(auth_api_keys=((Role.ADMIN, "k"),)), "0.0.0.0") is None
    assert exposure_refusal(Settings(auth_jwt_secret="s"), "0.0.0.0") is None
    assert exposure_refusal(Settings(auth_disabled=True), "0.0.0.0") is None


def test_serve_refuses_to_start(monkeypatch, capsys):
    monkeypatch.setattr("entrypoints.cli.serve.configure_logging", lambda settings: None)  # keep pytest's logging
    monkeypatch.setenv("BACKEND_HOST", "0.0.0.0")
    for name in ("AUTH_API_KEYS", "AUTH_JWT_SECRET", "AUTH_JWT_PUBLIC_KEY", "AUTH_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve"]) == 2
    assert "refusing to serve without authentication on 0.0.0.0" in capsys.readouterr().err


def test_auth_settings_are_parsed_and_keys_stay_hidden():
    settings = load_settings({"AUTH_API_KEYS": "viewer:v1, admin:a1", "AUTH_DISABLED": "false",
                              "AUTH_JWT_AUDIENCE": "api"})
    assert settings.auth_api_keys == ((Role.VIEWER, "v1"), (Role.ADMIN, "a1")) and settings.auth_enabled
    assert "a1" not in repr(settings)
    with pytest.raises(SettingsError) as bad:
        load_settings({"AUTH_API_KEYS": "root:secret-value"})
    assert "AUTH_API_KEYS=<hidden>" in str(bad.value) and "secret-value" not in str(bad.value)


def test_auth_disabled_switches_configured_keys_off():
    assert not Settings(auth_api_keys=((Role.ADMIN, "k"),), auth_disabled=True).auth_enabled
