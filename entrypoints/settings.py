"""Typed settings from the environment, validated once at start-up. Only this module reads os.environ."""

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from attrs import frozen


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
    upload_dir: Path = Path("./uploads")
    data_dir: Path = Path("./data")
    openai_api_key: str | None = None
    openai_base_url: str = "https://api.openai.com/v1"
    debug: bool = False
    access_log: bool = True
    comfyui_health_interval_s: float = 30.0
    dispatch_tick_s: float = 0.5
    job_lease_s: float = 30.0
    job_timeout_s: float = 3600.0
    queue_workers: bool = True
    scheduler_affinity: bool = True
    scheduler_prefetch: int = 0


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


def _mongo_url(raw: str) -> str:
    if not raw.startswith(("mongodb://", "mongodb+srv://")):
        raise ValueError("must start with mongodb:// or mongodb+srv://")
    return raw


def _http_url(raw: str) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("must be an http(s) URL")
    return raw.rstrip("/")


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
    "UPLOAD_DIR": ("upload_dir", lambda raw: Path(_text(raw))),
    "DATA_DIR": ("data_dir", lambda raw: Path(_text(raw))),
    "OPENAI_API_KEY": ("openai_api_key", _text),
    "OPENAI_BASE_URL": ("openai_base_url", _http_url),
    "DEBUG": ("debug", _bool),
    "ACCESS_LOG": ("access_log", _bool),
    "COMFYUI_HEALTH_INTERVAL_S": ("comfyui_health_interval_s", _seconds),
    "DISPATCH_TICK_S": ("dispatch_tick_s", _seconds),
    "JOB_LEASE_S": ("job_lease_s", _seconds),
    "JOB_TIMEOUT_S": ("job_timeout_s", _seconds),
    "QUEUE_WORKERS": ("queue_workers", _bool),
    "SCHEDULER_AFFINITY": ("scheduler_affinity", _bool),
    "SCHEDULER_PREFETCH": ("scheduler_prefetch", _int_between(0, 8)),
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
            problems.append(f"{variable}={environ[variable]!r} {exc}")
    if problems:
        raise SettingsError("invalid configuration: " + "; ".join(problems))
    return Settings(**values)
