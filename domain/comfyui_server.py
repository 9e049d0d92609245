"""A registered ComfyUI server: where it is and how much it may run at once (its versioned configuration),
and how it was last found (observations: health and model files, never part of the version)."""

from datetime import datetime
from enum import Enum
from urllib.parse import urlsplit

from attrs import evolve, field, frozen

from domain.errors import InvalidValue
from domain.validation import WHITESPACE, Pattern, bounded_text, text_items, within

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


def _ipv6() -> str:
    """RFC 3986 `IPv6address`: eight groups, or fewer around one `::`, the last two maybe an IPv4 address."""
    h16, octet = "[0-9A-Fa-f]{1,4}", "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    ls32 = f"(?:{h16}:{h16}|{octet}(?:\\.{octet}){{3}})"

    def head(groups: int) -> str:  # up to `groups` + 1 groups before the `::`
        return f"(?:(?:{h16}:){{0,{groups}}}{h16})?" if groups else f"(?:{h16})?"

    forms = [f"(?:{h16}:){{6}}{ls32}", f"::(?:{h16}:){{5}}{ls32}"]
    forms += [f"{head(before)}::(?:{h16}:){{{4 - before}}}{ls32}" for before in range(4)]
    forms += [f"{head(4)}::{ls32}", f"{head(5)}::{h16}", f"{head(6)}::"]
    return "|".join(forms)


LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"
PORT = "0*(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
PATH_SEGMENT = "[A-Za-z0-9._~!$&'()*+,;=:@%-]*"
# A server URL as clients give it (the commands check it, `normalized_server_url` then spells it one way), written
# so that a JSON Schema engine reads the same: http(s), a host name, an IPv4 or bracketed IPv6 address, a port from
# 1, a path (spaces around it are dropped); no credentials, query or fragment.
SERVER_URL = Pattern(
    f"^[{WHITESPACE}]*[Hh][Tt][Tt][Pp][Ss]?://(?:{LABEL}(?:\\.{LABEL})*|\\[(?:{_ipv6()})\\])(?::{PORT})?"
    f"(?:/{PATH_SEGMENT})*[{WHITESPACE}]*$",
    "an http(s) URL with a host and no credentials, query or fragment, e.g. http://127.0.0.1:8188",
)


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
class ModelRules:
    """A server's allow/deny list of presets (or workflow ids) and model kinds (`image`, `video`).

    `allow` empty: everything is allowed unless denied; deny wins over allow. Each name must be a known preset,
    a registered workflow's id, or a kind (checked by the use cases, which know them)."""

    allow: tuple[str, ...] = field(default=(), validator=text_items(64, 200))
    deny: tuple[str, ...] = field(default=(), validator=text_items(64, 200))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.allow, *self.deny]))

    def permits(self, model: str, kind: str) -> bool:
        if model in self.deny or kind in self.deny:
            return False
        return not self.allow or model in self.allow or kind in self.allow


@frozen
class ComfyUIServer:
    """`health` and `models` are the last observation, attached when read; `version` guards the rest."""

    id: str
    name: str = field(validator=bounded_text(200))
    url: str = field(converter=normalized_server_url)
    created_at: datetime
    updated_at: datetime
    capacity: int = field(default=1, validator=within(1, MAX_CAPACITY))
    enabled: bool = True
    rules: ModelRules = ModelRules()  # which presets, workflows and model kinds it may run
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
