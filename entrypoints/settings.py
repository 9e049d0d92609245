"""Typed settings from the environment, validated once at start-up. Only this module reads os.environ."""

import base64
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from domain.outbound import IPNetwork, parse_networks
from domain.errors import InvalidValue
from domain.video_provider import KEY, MODEL_NAME, provider_url

OPENAI_URL = "https://api.openai.com/v1"
SECRET_VARIABLES = frozenset({"OPENAI_API_KEY", "SECRETS_KEY"})  # their values are never printed


class SettingsError(ValueError):
    """One or more environment variables are invalid; the message names every one."""


@frozen
class Settings:
    mongo_url: str | None = None
    db_name: str = "storycanvas"
    backend_host: str = "127.0.0.1"
    backend_port: int = 8001
    max_music_size_mb: int = 50
    max_image_size_mb: int = 10
    max_json_body_kb: int = 1024
    max_image_pixels: int = 40_000_000
    body_timeout_s: float = 30.0
    keepalive_timeout_s: float = 75.0
    upload_dir: Path = Path("./uploads")
    data_dir: Path = Path("./data")
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None  # with only a key set: OPENAI_URL (OpenAI's own, shut down on 2026-09-24)
    openai_video_model: str = "sora-2"
    secrets_key: str | None = field(default=None, repr=False)  # Fernet key(s); else generated into data_dir
    debug: bool = False
    access_log: bool = True
    comfyui_health_interval_s: float = 30.0
    dispatch_tick_s: float = 0.5
    job_lease_s: float = 30.0
    job_timeout_s: float = 3600.0
    queue_workers: bool = True
    scheduler_affinity: bool = True
    scheduler_prefetch: int = 0
    outbound_allowed_networks: tuple[IPNetwork, ...] = ()  # empty: any address but link-local and the like

    @property
    def default_provider_url(self) -> str | None:
        """Where the environment's video provider is: OPENAI_BASE_URL, else OpenAI's own with a key alone."""
        return self.openai_base_url or (OPENAI_URL if self.openai_api_key else None)


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


def _mongo_url(raw: str) -> str:
    if not raw.startswith(("mongodb://", "mongodb+srv://")):
        raise ValueError("must start with mongodb:// or mongodb+srv://")
    return raw


def _provider_url(raw: str) -> str:
    try:
        return provider_url(raw)
    except InvalidValue as exc:
        raise ValueError(exc.message) from None


def _matching(pattern: str, meaning: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if not re.fullmatch(pattern[1:-1], raw):
            raise ValueError(f"must be {meaning}")
        return raw

    return parse


def _fernet_keys(raw: str) -> str:
    """One Fernet key (32 bytes, URL-safe base64), or several separated by commas."""
    for key in raw.split(","):
        try:
            if len(base64.urlsafe_b64decode(key.strip().encode("ascii"))) == 32 and len(key.strip()) == 44:
                continue
        except (ValueError, UnicodeError):
            pass
        raise ValueError("must be Fernet keys (44 characters of URL-safe base64 each, comma-separated); make one "
                         "with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    return raw


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError("must be an integer") from None
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return parse


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 <= value <= 86400:
        raise ValueError("must be between 0 (off) and 86400")
    return value


def _timeout(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 < value <= 3600:
        raise ValueError("must be more than 0 and at most 3600")
    return value


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "MONGO_URL": ("mongo_url", _mongo_url),
    "DB_NAME": ("db_name", _text),
    "BACKEND_HOST": ("backend_host", _text),
    "BACKEND_PORT": ("backend_port", _int_between(0, 65535)),
    "MAX_MUSIC_SIZE_MB": ("max_music_size_mb", _int_between(1, 10_000)),
    "MAX_IMAGE_SIZE_MB": ("max_image_size_mb", _int_between(1, 10_000)),
    "MAX_JSON_BODY_KB": ("max_json_body_kb", _int_between(1, 1_000_000)),
    "MAX_IMAGE_PIXELS": ("max_image_pixels", _int_between(1, 1_000_000_000)),
    "BODY_TIMEOUT_S": ("body_timeout_s", _timeout),
    "KEEPALIVE_TIMEOUT_S": ("keepalive_timeout_s", _timeout),
    "UPLOAD_DIR": ("upload_dir", lambda raw: Path(_text(raw))),
    "DATA_DIR": ("data_dir", lambda raw: Path(_text(raw))),
    "OPENAI_API_KEY": ("openai_api_key", _matching(KEY, "1 to 500 printable ASCII characters without spaces")),
    "OPENAI_BASE_URL": ("openai_base_url", _provider_url),
    "OPENAI_VIDEO_MODEL": ("openai_video_model", _matching(MODEL_NAME, "a model name, e.g. sora-2")),
    "SECRETS_KEY": ("secrets_key", _fernet_keys),
    "DEBUG": ("debug", _bool),
    "ACCESS_LOG": ("access_log", _bool),
    "COMFYUI_HEALTH_INTERVAL_S": ("comfyui_health_interval_s", _seconds),
    "DISPATCH_TICK_S": ("dispatch_tick_s", _seconds),
    "JOB_LEASE_S": ("job_lease_s", _seconds),
    "JOB_TIMEOUT_S": ("job_timeout_s", _seconds),
    "QUEUE_WORKERS": ("queue_workers", _bool),
    "SCHEDULER_AFFINITY": ("scheduler_affinity", _bool),
    "SCHEDULER_PREFETCH": ("scheduler_prefetch", _int_between(0, 8)),
    "OUTBOUND_ALLOWED_NETWORKS": ("outbound_allowed_networks", parse_networks),
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems = []
    for variable, (name, parse) in VARIABLES.items():
        if variable not in environ:
            continue
        try:
            values[name] = parse(environ[variable])
        except ValueError as exc:
            shown = "<hidden>" if variable in SECRET_VARIABLES else repr(environ[variable])
            problems.append(f"{variable}={shown} {exc}")
    if problems:
        raise SettingsError("invalid configuration: " + "; ".join(problems))
    return Settings(**values)
