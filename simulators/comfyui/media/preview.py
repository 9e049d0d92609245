"""Sampler preview pictures: noise that settles, step by step, on the colour the decoded image will have."""

from io import BytesIO

from PIL import Image

from simulators.comfyui.media.rendering import seed_colour
from simulators.comfyui.nodes.values import Latent


def _preview_size(latent: Latent, max_size: int) -> tuple[int, int]:
    """The latent's aspect fitted into max_size, like ImageOps.contain in server.send_image."""
    scale = max_size / max(latent.width, latent.height)
    return max(1, round(latent.width * scale)), max(1, round(latent.height * scale))


def render_preview(latent: Latent, step: int, total: int, max_size: int) -> bytes:
    """A JPEG (quality 95, as send_image saves it) of step `step` of `total` towards `latent`'s picture."""
    size = _preview_size(latent, max_size)
    noise = Image.effect_noise(size, 64).convert("RGB")
    target = Image.new("RGB", size, seed_colour(latent.seed, latent.text))
    buffer = BytesIO()
    Image.blend(noise, target, step / max(total, 1)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()
