"""Which model, duration and size a provider video gets: what was asked, else the nearest the model allows.

A clip's length becomes the nearest allowed duration (a tie goes to the longer, so the clip is covered); the
project's aspect ratio the allowed size of the nearest shape (ties: the larger, then the first listed). An
explicit `seconds` or `size` must be one a model allows exactly: without a named model, the first model that
allows it is used; none allowing it is an InvalidValue naming the values the models allow.
"""

import math
from collections.abc import Sequence

from attrs import frozen

from domain.aspect_ratio import AspectRatio
from domain.errors import InvalidValue
from domain.video_provider import VideoModel


@frozen
class VideoShape:
    model: str
    seconds: int
    size: str


def _dimensions(size: str) -> tuple[int, int]:
    width, _, height = size.partition("x")
    return int(width), int(height)


def nearest_seconds(allowed: Sequence[int], length: float) -> int:
    return min(allowed, key=lambda seconds: (abs(seconds - length), -seconds))


def nearest_size(allowed: Sequence[str], aspect: AspectRatio) -> str:
    def distance(size: str) -> tuple[float, int, int]:
        width, height = _dimensions(size)
        return abs(math.log(width / height) - math.log(aspect.ratio)), -width * height, list(allowed).index(size)

    return min(allowed, key=distance)


def _listed(values: Sequence[object]) -> str:
    words = [str(value) for value in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _allowed(models: Sequence[VideoModel], name: str) -> str:
    values = sorted({value for model in models for value in (model.seconds if name == "seconds" else model.sizes)},
                    key=lambda v: (_dimensions(v) if isinstance(v, str) else v))
    return _listed(values)


def _chosen_model(models: Sequence[VideoModel], model: str | None, seconds: int | None,
                  size: str | None) -> VideoModel:
    if model is not None:
        found = next((m for m in models if m.name == model), None)
        if found is None:
            raise InvalidValue("model", f"the provider serves {_listed([m.name for m in models])}")
        models = [found]
    for name, value, allowed in (("seconds", seconds, lambda m: m.seconds), ("size", size, lambda m: m.sizes)):
        if value is not None and not any(value in allowed(m) for m in models):
            whose = models[0].name if len(models) == 1 else "the provider's models"
            raise InvalidValue(name, f"{whose} allow{'s' if len(models) == 1 else ''} {_allowed(models, name)}"
                                     + (" seconds" if name == "seconds" else ""))
    fitting = [m for m in models if (seconds is None or seconds in m.seconds) and (size is None or size in m.sizes)]
    if not fitting:
        raise InvalidValue("size", f"no model of the provider renders {seconds} seconds at {size}")
    return fitting[0]


def plan_video_shape(models: Sequence[VideoModel], *, length: float, aspect: AspectRatio, model: str | None = None,
                     seconds: int | None = None, size: str | None = None) -> VideoShape:
    """The model (the one named, else the first allowing what was asked), the duration and the size."""
    chosen = _chosen_model(models, model, seconds, size)
    return VideoShape(model=chosen.name,
                      seconds=nearest_seconds(chosen.seconds, length) if seconds is None else seconds,
                      size=nearest_size(chosen.sizes, aspect) if size is None else size)
