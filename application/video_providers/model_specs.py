"""Models as a request names them: a name, and the durations and sizes it allows unless it is a known one."""

from attrs import converters, field, frozen

from domain.validation import Limits, Pattern, optional
from domain.video_provider import KEY, MODEL_NAME, SIZE, Listed, VideoModel, distinct, known_shape

MODEL = Pattern(MODEL_NAME, "a model name: a letter or digit, then letters, digits and . _ : / - (at most 100)",
                max_length=100)
API_KEY = Pattern(KEY, "printable ASCII without spaces, 1 to 500 characters", max_length=500)
API_KEY_OR_EMPTY = Pattern(r"^([!-~]{1,500})?$", "printable ASCII without spaces, at most 500 characters, or "
                                                 "an empty string to remove the key", max_length=500)
SECONDS = Listed(20)
SIZES = Listed(20, pattern=SIZE)


@frozen
class ModelSpec:
    """A model the provider serves; `seconds` and `sizes` default to what the model is known for (sora-2: 4, 8, 12
    seconds at 720x1280 or 1280x720; any other: also 1024x1792 and 1792x1024)."""

    name: str = field(validator=MODEL)
    seconds: tuple[int, ...] | None = field(default=None, converter=converters.optional(distinct),
                                            validator=optional(SECONDS))
    sizes: tuple[str, ...] | None = field(default=None, converter=converters.optional(distinct),
                                          validator=optional(SIZES))

    def model(self) -> VideoModel:
        seconds, sizes = known_shape(self.name)
        return VideoModel(name=self.name, seconds=self.seconds or seconds, sizes=self.sizes or sizes)


MODELS_LIMITS = {"limits": Limits(min_items=1, max_items=20, description="1 to 20 models; a repeated name keeps "
                                                                         "its first entry.")}
