"""A registered video provider: an engine serving the `/v1/videos` API, its models and how much it may run at once.

Its API key is kept sealed (encrypted by the application's secret box); the entity only knows whether one is set
and its last four characters, to tell keys apart.
"""

import re
from datetime import datetime
from enum import Enum
from typing import Any

from attrs import evolve, field, frozen

from domain.comfyui_server import SERVER_URL, normalized_server_url
from domain.errors import InvalidValue
from domain.validation import Limits, bounded_text, within

MAX_CONCURRENCY = 64
MAX_MODELS = 20
TARGET_PREFIX = "provider:"  # a provider job's target, and the id its dispatcher slot goes by
SORA_SECONDS = (4, 8, 12)
SORA_SIZES = ("720x1280", "1280x720")
SORA_PRO_SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
SIZE = r"^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$"
MODEL_NAME = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"
KEY = r"^[!-~]{1,500}$"  # printable ASCII without spaces: it travels in an Authorization header


class ProviderSource(str, Enum):
    API = "api"  # registered through /api/v1/video-providers
    ENVIRONMENT = "environment"  # OPENAI_BASE_URL / OPENAI_API_KEY, written again at every start-up


@frozen
class ProviderUrl:
    """An http(s) base URL without credentials, query or fragment: the very check of a ComfyUI server's URL."""

    def __call__(self, instance: Any, attribute: Any, value: str) -> None:
        provider_url(value, field_name=attribute.name)  # its own words for a scheme, credentials, a query
        SERVER_URL(instance, attribute, value)

    @property
    def limits(self) -> Limits:
        return evolve(SERVER_URL.limits, description="An http(s) base URL such as http://127.0.0.1:8000/v1 (the "
                                                     "part before /videos), without credentials, query or fragment.")


@frozen
class Listed:
    """A tuple of 1..max_items values, each matching `pattern` (str) or within `low..high` (int)."""

    max_items: int
    pattern: str | None = None
    low: int = 1
    high: int = 60

    def __call__(self, _instance: Any, attribute: Any, value: tuple[Any, ...]) -> None:
        if not 1 <= len(value) <= self.max_items:
            raise InvalidValue(attribute.name, f"must hold 1 to {self.max_items} values")
        for item in value:
            if self.pattern is not None and not re.fullmatch(self.pattern[1:-1], item):
                raise InvalidValue(attribute.name, f"'{item}' is not WIDTHxHEIGHT, e.g. 1280x720")
            if self.pattern is None and not self.low <= item <= self.high:
                raise InvalidValue(attribute.name, f"every value must be between {self.low} and {self.high}")

    @property
    def limits(self) -> Limits:
        items = Limits(pattern=self.pattern) if self.pattern else Limits(minimum=self.low, maximum=self.high)
        return Limits(min_items=1, max_items=self.max_items, items=items)


def distinct(values: Any) -> tuple[Any, ...]:
    """In their order, each once (a repeated value is dropped, not an error)."""
    return tuple(dict.fromkeys(values))


def provider_url(url: str, *, field_name: str = "base_url") -> str:
    """The normalised URL; InvalidValue (naming `field_name`) for another scheme, credentials, a query."""
    try:
        return normalized_server_url(url)
    except InvalidValue as exc:
        raise InvalidValue(field_name, exc.message.replace("e.g. http://127.0.0.1:8188",
                                                           "e.g. http://127.0.0.1:8000/v1")) from None


def _model_name(_instance: Any, attribute: Any, value: str) -> None:
    if not re.fullmatch(MODEL_NAME[1:-1], value):
        raise InvalidValue(attribute.name, "must be a model name: letters, digits and . _ : / - (at most 100)")


_model_name.limits = Limits(pattern=MODEL_NAME, description="A model name, e.g. sora-2.")  # type: ignore[attr-defined]


def known_shape(name: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The durations and sizes a model is known for: sora-2 renders 720p only, sora-2-pro also 1024p; any other
    model starts from the sora-2-pro shape (register its own lists for an engine that differs)."""
    plain = name == "sora-2" or name.startswith("sora-2-2")
    return SORA_SECONDS, SORA_SIZES if plain else SORA_PRO_SIZES


@frozen
class VideoModel:
    """A model a provider serves, with the `seconds` and `size` values it accepts."""

    name: str = field(validator=_model_name)
    seconds: tuple[int, ...] = field(default=SORA_SECONDS, converter=distinct, validator=Listed(20))
    sizes: tuple[str, ...] = field(default=SORA_PRO_SIZES, converter=distinct, validator=Listed(20, pattern=SIZE))

    @classmethod
    def known(cls, name: str) -> "VideoModel":
        seconds, sizes = known_shape(name)
        return cls(name=name, seconds=seconds, sizes=sizes)


def _models(_instance: Any, attribute: Any, value: tuple[VideoModel, ...]) -> None:
    if not 1 <= len(value) <= MAX_MODELS:
        raise InvalidValue(attribute.name, f"must hold 1 to {MAX_MODELS} models")


def distinct_models(models: Any) -> tuple["VideoModel", ...]:
    """A repeated model name keeps its first entry."""
    kept: dict[str, VideoModel] = {}
    for model in models:
        kept.setdefault(model.name, model)
    return tuple(kept.values())


_models.limits = Limits(min_items=1, max_items=MAX_MODELS)  # type: ignore[attr-defined]


@frozen
class VideoProvider:
    id: str
    name: str = field(validator=bounded_text(200))
    base_url: str = field(converter=provider_url)
    created_at: datetime
    updated_at: datetime
    models: tuple[VideoModel, ...] = field(default=(VideoModel.known("sora-2"),), converter=distinct_models,
                                           validator=_models)
    concurrency: int = field(default=2, validator=within(1, MAX_CONCURRENCY))  # videos it renders at once: its queue capacity
    enabled: bool = True
    sealed_key: str | None = None  # the API key, encrypted; None: the engine takes requests without a key
    key_last4: str | None = None  # shown to tell keys apart (only for keys of 16 characters or more)
    source: ProviderSource = ProviderSource.API
    version: int = 1

    @property
    def target(self) -> str:
        """What its jobs name as their target and server: `provider:<id>`."""
        return provider_target(self.id)

    @property
    def key_set(self) -> bool:
        return self.sealed_key is not None

    def model(self, name: str) -> VideoModel | None:
        return next((model for model in self.models if model.name == name), None)


def provider_target(provider_id: str) -> str:
    return f"{TARGET_PREFIX}{provider_id}"


def provider_of(target: str | None) -> str | None:
    """The provider id a target names, or None for anything else (a ComfyUI server, no target)."""
    if target is None or not target.startswith(TARGET_PREFIX):
        return None
    return target.removeprefix(TARGET_PREFIX)


def key_hint(key: str) -> str | None:
    """The last four characters of a key long enough that they give nothing useful away."""
    return key[-4:] if len(key) >= 16 else None
