"""Checking POST /v1/videos and /remix parameters as the API does: names, types, then values the model allows."""

from collections.abc import Mapping
from typing import Any

from simulators.openai_video.api_errors import (
    OpenAIError, invalid_type, invalid_value, missing_parameter, quoted_list, unknown_parameter,
)
from simulators.openai_video.config import SimulatorConfig, renderable_seconds, renderable_size
from simulators.openai_video.videos.reference_image import reference_image
from simulators.openai_video.videos.video import Video, VideoSpec

CREATE_PARAMETERS = ("prompt", "model", "seconds", "size", "input_reference")
API_DEFAULTS = {"seconds": "4", "size": "720x1280"}


def video_spec(body: Mapping[str, Any], config: SimulatorConfig) -> VideoSpec:
    """A create request's spec, or the OpenAIError the real API would answer."""
    _known_parameters(body, CREATE_PARAMETERS)
    prompt = _prompt(body)
    model = _choice(body, "model", config.default_model, tuple(config.models))
    limits = config.models[model]
    seconds = _choice(body, "seconds", _default(limits.seconds, "seconds"), limits.seconds)
    size = _choice(body, "size", _default(limits.sizes, "size"), limits.sizes)
    if limits.seconds is None:
        _check_free_seconds(seconds)
    if limits.sizes is None:
        _check_free_size(size)
    width, _, height = size.partition("x")
    return VideoSpec(prompt, model, seconds, size, reference_image(body.get("input_reference"),
                                                                   (int(width), int(height))))


def remix_spec(body: Mapping[str, Any], source: Video) -> VideoSpec:
    """A remix: the source's model, duration, size and reference with a new prompt."""
    _known_parameters(body, ("prompt",))
    if source.status != "completed":
        raise OpenAIError(400, f"Video '{source.id}' is {source.status}: only a completed video can be remixed.",
                          param="video_id")
    spec = source.spec
    return VideoSpec(_prompt(body), spec.model, spec.seconds, spec.size, spec.reference,
                     remixed_from_video_id=source.id)


def _known_parameters(body: Mapping[str, Any], known: tuple[str, ...]) -> None:
    for name in body:
        if name not in known:
            raise unknown_parameter(name)


def _prompt(body: Mapping[str, Any]) -> str:
    if "prompt" not in body:
        raise missing_parameter("prompt")
    prompt = body["prompt"]
    if not isinstance(prompt, str):
        raise invalid_type("prompt", "a string", prompt)
    if not prompt:
        raise OpenAIError(400, "Invalid 'prompt': string too short. Expected a string with minimum length 1, "
                               "but got an empty string instead.", param="prompt", code="string_below_min_length")
    return prompt


def _default(allowed: tuple[str, ...] | None, name: str) -> str:
    preferred = API_DEFAULTS[name]
    return preferred if allowed is None or preferred in allowed else allowed[0]


def _choice(body: Mapping[str, Any], name: str, default: str, allowed: tuple[str, ...] | None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        expected = "a string" if allowed is None else f"one of {quoted_list(allowed, conjunction='or')}"
        raise invalid_type(name, expected, value)
    if allowed is not None and value not in allowed:
        raise invalid_value(name, value, allowed)
    return value


def _check_free_seconds(seconds: str) -> None:
    """A model without a `seconds` list takes whole seconds from 1 to 60."""
    if not renderable_seconds(seconds):
        raise OpenAIError(400, f"Invalid value: '{seconds}'. Expected a whole number of seconds from 1 to 60.",
                          param="seconds", code="invalid_value")


def _check_free_size(size: str) -> None:
    """A model without a `size` list takes WIDTHxHEIGHT, both even, from 16 to 4096 (H.264 wants even sides)."""
    if not renderable_size(size):
        raise OpenAIError(400, f"Invalid value: '{size}'. Expected WIDTHxHEIGHT with even sides from 16 to 4096.",
                          param="size", code="invalid_value")
