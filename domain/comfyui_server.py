"""A registered ComfyUI server: where it is and how much it may run at once (its versioned configuration),
and how it was last found (observations: health and model files, never part of the version)."""

from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from attrs import evolve, field, frozen

from domain.errors import InvalidValue
from domain.validation import bounded_text

MAX_CAPACITY = 64


class HealthStatus(str, Enum):
    UNKNOWN = "unknown"
    UP = "up"
    DOWN = "down"


DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized_server_url(url: str) -> str:
    """An http(s) base URL, in one spelling per address: scheme and host in lower case, no default port, no
    trailing slash, no query or fragment. Host names are not resolved: `localhost` and `127.0.0.1` stay two."""
    try:
        parts = urlsplit(url.strip())
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok, parts = False, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise InvalidValue("url", "must be an http(s) URL with a host, e.g. http://127.0.0.1:8188")
    if parts.query or parts.fragment or parts.username or parts.password or "@" in parts.netloc:
        raise InvalidValue("url", "must not carry credentials, a query or a fragment")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = "" if parts.port in (None, DEFAULT_PORTS[parts.scheme]) else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"


def _capacity(_instance: Any, _attribute: Any, value: int) -> None:
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidValue("capacity", f"must be between 1 and {MAX_CAPACITY}")


@frozen
class ServerHealth:
    status: HealthStatus = HealthStatus.UNKNOWN
    checked_at: datetime | None = None
    latency_ms: float | None = None
    last_error: str | None = None
    comfyui_version: str | None = None


@frozen
class ModelCatalog:
    """Model files a server offers, by ComfyUI model folder."""

    checkpoints: tuple[str, ...] = ()
    diffusion_models: tuple[str, ...] = ()
    loras: tuple[str, ...] = ()
    vae: tuple[str, ...] = ()
    text_encoders: tuple[str, ...] = ()
    clip_vision: tuple[str, ...] = ()

    def has(self, model: str) -> bool:
        return any(model in names for names in (self.checkpoints, self.diffusion_models, self.loras, self.vae,
                                                self.text_encoders, self.clip_vision))


@frozen
class ServerObservation:
    """What probes last found at one address of a server (a moved server starts unobserved at its new one).
    Kept without a version: probing never edits a server."""

    health: ServerHealth = ServerHealth()
    models: ModelCatalog = ModelCatalog()


@frozen
class ComfyUIServer:
    """`health` and `models` are the last observation, attached when read; `version` guards the rest."""

    id: str
    name: str = field(validator=bounded_text(200))
    url: str = field(converter=normalized_server_url)
    created_at: datetime
    updated_at: datetime
    capacity: int = field(default=1, validator=_capacity)
    enabled: bool = True
    health: ServerHealth = ServerHealth()
    models: ModelCatalog = ModelCatalog()
    version: int = 1

    @property
    def available(self) -> bool:
        return self.enabled and self.health.status is HealthStatus.UP

    def checked(self, health: ServerHealth, models: ModelCatalog | None) -> "ComfyUIServer":
        return evolve(self, health=health, models=self.models if models is None else models)

    def observed(self, observation: ServerObservation | None) -> "ComfyUIServer":
        """This server with what was last found at its current URL (None: never probed there)."""
        observation = observation or ServerObservation()
        return evolve(self, health=observation.health, models=observation.models)
