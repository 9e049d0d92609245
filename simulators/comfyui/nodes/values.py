"""The values that flow between simulated nodes (IMAGE, MASK, LATENT, MODEL, ...), as light stand-ins."""

from fractions import Fraction

from attrs import evolve, frozen
from PIL import Image


def _tensor_text(shape: tuple[int, ...]) -> str:
    return f"tensor(<{'x'.join(map(str, shape))} float32 values>)"


@frozen
class ImageBatch:
    """IMAGE: a batch of RGB frames of one size."""

    frames: tuple[Image.Image, ...]

    @property
    def size(self) -> tuple[int, int]:
        return self.frames[0].size

    def __str__(self) -> str:
        width, height = self.size
        return _tensor_text((len(self.frames), height, width, 3))


@frozen
class MaskBatch:
    """MASK: a batch of single-channel frames."""

    frames: tuple[Image.Image, ...]

    def __str__(self) -> str:
        width, height = self.frames[0].size
        return _tensor_text((len(self.frames), height, width))


@frozen
class Conditioning:
    """CONDITIONING: the prompt texts it encodes and the extras applied to it."""

    texts: tuple[str, ...]
    extras: tuple[tuple[str, object], ...] = ()

    def with_extra(self, name: str, value: object) -> "Conditioning":
        return evolve(self, extras=(*self.extras, (name, value)))

    @property
    def text(self) -> str:
        return " ".join(self.texts)


@frozen
class Latent:
    """LATENT: pixel size, batch and frame count, and what sampling put in it."""

    width: int
    height: int
    batch: int = 1
    frames: int = 1
    seed: int | None = None
    text: str = ""
    model: str = ""
    start_image: ImageBatch | None = None

    def __str__(self) -> str:
        return f"{{'samples': {_tensor_text((self.batch, 4, self.frames, self.height // 8, self.width // 8))}}}"


@frozen
class ModelHandle:
    """MODEL, CLIP, VAE or CLIP_VISION: the files it was loaded from and the patches applied."""

    kind: str
    names: tuple[str, ...]
    patches: tuple[str, ...] = ()

    def patched(self, patch: str) -> "ModelHandle":
        return evolve(self, patches=(*self.patches, patch))

    @property
    def label(self) -> str:
        return "+".join(self.names)

    def __str__(self) -> str:
        return f"<{self.kind} {self.label}>"


@frozen
class Sigmas:
    """SIGMAS: only the number of steps matters here."""

    steps: int


@frozen
class SamplerChoice:
    """SAMPLER from KSamplerSelect."""

    name: str


@frozen
class Noise:
    """NOISE from RandomNoise."""

    seed: int


@frozen
class Guider:
    """GUIDER: the model and conditioning sampling follows."""

    model: ModelHandle
    positive: Conditioning
    negative: Conditioning | None = None


@frozen
class ClipVisionOutput:
    """CLIP_VISION_OUTPUT: what image was encoded."""

    image: ImageBatch


@frozen
class Video:
    """VIDEO from CreateVideo: frames and frame rate."""

    images: ImageBatch
    frame_rate: Fraction
