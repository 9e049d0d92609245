from pathlib import Path

import pytest

from entrypoints.settings import Settings, SettingsError, load_settings


def test_defaults_follow_the_specification():
    settings = load_settings({})
    assert settings == Settings()
    assert (settings.db_name, settings.backend_port, settings.max_music_size_mb, settings.max_image_size_mb) == (
        "storycanvas", 8001, 50, 10)
    assert settings.mongo_url is None and settings.debug is False


def test_values_are_typed():
    settings = load_settings({"MONGO_URL": "mongodb://db:27017", "BACKEND_PORT": "9000", "DEBUG": "true",
                              "UPLOAD_DIR": "/srv/up", "MAX_IMAGE_SIZE_MB": "3"})
    assert settings.mongo_url == "mongodb://db:27017"
    assert (settings.backend_port, settings.debug, settings.upload_dir) == (9000, True, Path("/srv/up"))
    assert settings.max_image_size_mb == 3


def test_every_bad_variable_is_named_in_one_message():
    with pytest.raises(SettingsError) as error:
        load_settings({"BACKEND_PORT": "abc", "DEBUG": "maybe", "MONGO_URL": "http://x", "MAX_MUSIC_SIZE_MB": "0"})
    message = str(error.value)
    assert "\n" not in message
    for name in ("BACKEND_PORT", "DEBUG", "MONGO_URL", "MAX_MUSIC_SIZE_MB"):
        assert name in message


def test_slow_client_timeouts_are_positive_seconds():
    assert (Settings().body_timeout_s, Settings().keepalive_timeout_s) == (30.0, 75.0)
    settings = load_settings({"BODY_TIMEOUT_S": "2.5", "KEEPALIVE_TIMEOUT_S": "10"})
    assert (settings.body_timeout_s, settings.keepalive_timeout_s) == (2.5, 10.0)
    for bad in ("0", "-1", "nan", "inf", "3601", "soon"):
        with pytest.raises(SettingsError) as error:
            load_settings({"BODY_TIMEOUT_S": bad, "KEEPALIVE_TIMEOUT_S": bad})
        assert "BODY_TIMEOUT_S" in str(error.value) and "KEEPALIVE_TIMEOUT_S" in str(error.value)
