"""Settings of one simulated `/v1/videos` server: models and their limits, key, speed, failures."""

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from attrs import field, frozen, validators

# Each armed failure fires once: a 429 or a 500 answers the next /v1 request, a job failure ends the next video.
FAILURE_MODES = ("rate_limit", "server_error", "job_failure")
SORA_SECONDS = ("4", "8", "12")
SORA_SIZES = ("720x1280", "1280x720")
SORA_PRO_SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
DEFAULT_FAILURE_CODE = "video_generation_failed"
DEFAULT_FAILURE_MESSAGE = "The video could not be generated (failure injected by the simulator)."
SIZE = re.compile(r"^(\d{2,4})x(\d{2,4})$")


def renderable_size(size: str) -> bool:
    """WIDTHxHEIGHT with even sides from 16 to 4096, which H.264 in yuv420p can hold."""
    match = SIZE.match(size)
    return bool(match) and all(16 <= int(side) <= 4096 and int(side) % 2 == 0 for side in match.groups())


def renderable_seconds(seconds: str) -> bool:
    """A whole number of seconds from 1 to 60."""
    return seconds.isdigit() and 1 <= int(seconds) <= 60


def _check_values(check: Callable[[str], bool]) -> Callable[[object, object, tuple[str, ...] | None], None]:
    """An attrs validator: every listed value passes `check`, and a list is never empty."""
    def validator(_instance: object, attribute: object, value: tuple[str, ...] | None) -> None:
        bad = [item for item in value or () if not check(item)]
        if value is not None and (bad or not value):
            raise ValueError(f"{getattr(attribute, 'name', '')}: not renderable: {bad or 'an empty list'}")
    return validator


def _string_tuple(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(str(item) for item in value)


@frozen
class ModelLimits:
    """The `seconds` and `size` values a model accepts; None accepts any (as self-hosted engines do)."""

    seconds: tuple[str, ...] | None = field(default=SORA_SECONDS, converter=_string_tuple,
                                            validator=_check_values(renderable_seconds))
    sizes: tuple[str, ...] | None = field(default=SORA_SIZES, converter=_string_tuple,
                                          validator=_check_values(renderable_size))

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> "ModelLimits":
        """`{"seconds": ["4", "8"], "sizes": ["1280x720"]}`; a missing key accepts any value."""
        return cls(seconds=entry.get("seconds"), sizes=entry.get("sizes"))  # type: ignore[arg-type]


# OpenAI's catalogue before the shutdown: sora-2 renders 720p only, sora-2-pro also the tall and wide 1024p sizes.
DEFAULT_MODELS: Mapping[str, ModelLimits] = MappingProxyType({
    "sora-2": ModelLimits(),
    "sora-2-2025-10-06": ModelLimits(),
    "sora-2-2025-12-08": ModelLimits(),
    "sora-2-pro": ModelLimits(sizes=SORA_PRO_SIZES),
    "sora-2-pro-2025-10-06": ModelLimits(sizes=SORA_PRO_SIZES),
})


def _frozen_mapping(value: Mapping) -> Mapping:
    return MappingProxyType(dict(value))


def _check_failures(_instance: object, _attribute: object, value: Mapping[str, int]) -> None:
    unknown = set(value) - set(FAILURE_MODES)
    if unknown:
        raise ValueError(f"unknown failure modes {sorted(unknown)}; known: {', '.join(FAILURE_MODES)}")


def _check_models(_instance: object, _attribute: object, value: Mapping[str, ModelLimits]) -> None:
    if not value:
        raise ValueError("the simulator needs at least one model")


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value).resolve()


@frozen(kw_only=True)
class SimulatorConfig:
    """Everything a simulated video provider needs; `root` None renders into a temporary directory."""

    root: Path | None = field(default=None, converter=_optional_path)
    api_key: str | None = None
    latency: float = field(default=0.0, validator=validators.ge(0))
    capacity: int = field(default=4, validator=validators.ge(1))
    fps: int = field(default=24, validator=[validators.ge(1), validators.le(60)])
    models: Mapping[str, ModelLimits] = field(default=DEFAULT_MODELS, converter=_frozen_mapping,
                                              validator=_check_models)
    failures: Mapping[str, int] = field(factory=dict, converter=_frozen_mapping, validator=_check_failures)
    retry_after: int = field(default=1, validator=validators.ge(0))
    failure_code: str = DEFAULT_FAILURE_CODE
    failure_message: str = DEFAULT_FAILURE_MESSAGE
    asset_ttl: int = field(default=3600, validator=validators.ge(1))
    max_upload_size: int = 50 * 1024 * 1024

    @property
    def default_model(self) -> str:
        """The API's default, sora-2, when served; else the first model."""
        return "sora-2" if "sora-2" in self.models else next(iter(self.models))
