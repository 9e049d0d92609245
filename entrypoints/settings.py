"""Typed settings from the environment, validated once at start-up. Only this module reads os.environ."""

import base64
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from domain.access import Role, parse_api_keys
from domain.outbound import IPNetwork, OutboundRule, parse_networks
from domain.errors import InvalidValue
from domain.video_provider import KEY, MODEL_NAME, provider_url

OPENAI_URL = "https://api.openai.com/v1"
SECRET_VARIABLES = frozenset({"OPENAI_API_KEY", "SECRETS_KEY", "AUTH_API_KEYS", "AUTH_JWT_SECRET",
                              "WEBHOOK_SECRET"})  # their values are never printed


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
    dispatch_stall_s: float = 5.0  # readiness: no finished dispatch round for this long (at least 3 ticks) is a stall
    job_lease_s: float = 30.0
    job_timeout_s: float = 3600.0
    queue_workers: bool = True
    scheduler_affinity: bool = True
    scheduler_prefetch: int = 1  # issue 14: one prompt waits on each server, so no slot idles between jobs
    # --- speed-aware dispatch (issue 14, items 1-2) ---
    scheduler_speed: bool = True
    scheduler_switch_s: float = 5.0
    scheduler_speed_prior_s: float = 30.0
    outbound_allowed_networks: tuple[IPNetwork, ...] = ()  # empty: any address but link-local and the like
    # --- access control, rate limits, outbound guard, logs (issue 12) ---
    auth_api_keys: tuple[tuple[Role, str], ...] = field(default=(), repr=False)
    auth_jwt_secret: str | None = field(default=None, repr=False)  # HS256
    auth_jwt_public_key: str | None = None  # PEM: RS256 or ES256
    auth_jwt_audience: str | None = None
    auth_jwt_issuer: str | None = None
    auth_jwt_leeway_s: float = 30.0
    auth_disabled: bool = False  # off on purpose, even on an exposed address
    rate_limit_per_minute: int = 0  # per credential (per client address without auth); 0: no limit
    rate_limit_upload_per_minute: int = 0
    rate_limit_generation_per_minute: int = 0
    outbound_allow: tuple[IPNetwork, ...] = ()  # empty: any address not denied
    outbound_deny: tuple[IPNetwork, ...] = ()  # added to the built-in denials (link-local, cloud metadata)
    log_format: str = "json"

    @property
    def auth_enabled(self) -> bool:
        """Credentials are configured and authentication is not switched off."""
        configured = bool(self.auth_api_keys or self.auth_jwt_secret or self.auth_jwt_public_key)
        return configured and not self.auth_disabled

    @property
    def outbound_rule(self) -> OutboundRule:
        """OUTBOUND_ALLOWED_NETWORKS is OUTBOUND_ALLOW's older name: both lists allow."""
        return OutboundRule(allowed=self.outbound_allowed_networks + self.outbound_allow, denied=self.outbound_deny)
    # --- end of issue 12's settings ---
    # --- webhooks and the per-owner queue cap (issue 14) ---
    webhook_secret: str | None = field(default=None, repr=False)  # whsec_...: signs deliveries to a job's webhook_url
    webhook_timeout_s: float = 10.0
    webhook_retry_base_s: float = 5.0  # first retry after this, then doubling (capped at 2 h)
    webhook_retry_hours: int = 26  # how long a delivery is retried before it is given up
    webhook_poll_s: float = 1.0
    webhook_workers: bool = True
    queue_max_pending_per_owner: int = 0  # 0: no cap
    # --- end of issue 14's settings ---

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


def _pem(raw: str) -> str:
    """A PEM public key; `\\n` written for line breaks (one-line environments) is read as them."""
    text = raw.replace("\\n", "\n").strip()
    if not text.startswith("-----BEGIN PUBLIC KEY-----"):
        raise ValueError("must be a PEM public key (-----BEGIN PUBLIC KEY-----...)")
    return text


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.strip().lower() not in choices:
            raise ValueError("must be one of " + ", ".join(choices))
        return raw.strip().lower()

    return parse


def _webhook_secret(raw: str) -> str:
    """A Standard Webhooks secret: `whsec_` and base64 of 24 to 64 bytes."""
    try:
        size = len(base64.b64decode(raw.removeprefix("whsec_") + "==", validate=False))
    except ValueError:
        size = 0
    if not raw.startswith("whsec_") or not 24 <= size <= 64:
        raise ValueError("must be whsec_ followed by base64 of 24 to 64 random bytes; make one with: python -c "
                         "'import base64,os; print(\"whsec_\" + base64.b64encode(os.urandom(32)).decode())'")
    return raw

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
    "DISPATCH_STALL_S": ("dispatch_stall_s", _seconds),
    "JOB_LEASE_S": ("job_lease_s", _seconds),
    "JOB_TIMEOUT_S": ("job_timeout_s", _seconds),
    "QUEUE_WORKERS": ("queue_workers", _bool),
    "SCHEDULER_AFFINITY": ("scheduler_affinity", _bool),
    "SCHEDULER_PREFETCH": ("scheduler_prefetch", _int_between(0, 8)),
    "SCHEDULER_SPEED": ("scheduler_speed", _bool),
    "SCHEDULER_SWITCH_S": ("scheduler_switch_s", _seconds),
    "SCHEDULER_SPEED_PRIOR_S": ("scheduler_speed_prior_s", _seconds),
    "OUTBOUND_ALLOWED_NETWORKS": ("outbound_allowed_networks", parse_networks),
    # --- issue 12 ---
    "AUTH_API_KEYS": ("auth_api_keys", parse_api_keys),
    "AUTH_JWT_SECRET": ("auth_jwt_secret", _text),
    "AUTH_JWT_PUBLIC_KEY": ("auth_jwt_public_key", _pem),
    "AUTH_JWT_AUDIENCE": ("auth_jwt_audience", _text),
    "AUTH_JWT_ISSUER": ("auth_jwt_issuer", _text),
    "AUTH_JWT_LEEWAY_S": ("auth_jwt_leeway_s", _seconds),
    "AUTH_DISABLED": ("auth_disabled", _bool),
    "RATE_LIMIT_PER_MINUTE": ("rate_limit_per_minute", _int_between(0, 1_000_000)),
    "RATE_LIMIT_UPLOAD_PER_MINUTE": ("rate_limit_upload_per_minute", _int_between(0, 1_000_000)),
    "RATE_LIMIT_GENERATION_PER_MINUTE": ("rate_limit_generation_per_minute", _int_between(0, 1_000_000)),
    "OUTBOUND_ALLOW": ("outbound_allow", parse_networks),
    "OUTBOUND_DENY": ("outbound_deny", parse_networks),
    "LOG_FORMAT": ("log_format", _one_of("json", "text")),
    # --- issue 14 ---
    "WEBHOOK_SECRET": ("webhook_secret", _webhook_secret),
    "WEBHOOK_TIMEOUT_S": ("webhook_timeout_s", _timeout),
    "WEBHOOK_RETRY_BASE_S": ("webhook_retry_base_s", _timeout),
    "WEBHOOK_RETRY_HOURS": ("webhook_retry_hours", _int_between(24, 24 * 14)),
    "WEBHOOK_POLL_S": ("webhook_poll_s", _timeout),
    "WEBHOOK_WORKERS": ("webhook_workers", _bool),
    "QUEUE_MAX_PENDING_PER_OWNER": ("queue_max_pending_per_owner", _int_between(0, 10_000_000)),
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
