"""The `thumbnail` (WEBP, the first frame at full size) and `spritesheet` (JPEG grid of one frame a second)."""

import math
from pathlib import Path

from PIL import Image

from simulators.openai_video.media.frame_design import FrameDesign

SPRITE_WIDTH = 256
SPRITE_COLUMNS = 4


def write_thumbnail(design: FrameDesign, path: Path) -> None:
    design.rgb_frame(0).save(path, format="WEBP", quality=80)


def write_spritesheet(design: FrameDesign, path: Path) -> None:
    """Tiles 256 px wide, four to a row, one per second taken mid-second."""
    tiles = max(1, design.seconds)
    width, height = design.size
    tile_size = (SPRITE_WIDTH, max(2, round(height * SPRITE_WIDTH / width)))
    columns = min(tiles, SPRITE_COLUMNS)
    sheet = Image.new("RGB", (tile_size[0] * columns, tile_size[1] * math.ceil(tiles / columns)))
    for index in range(tiles):
        tile = design.rgb_frame(index + 0.5).resize(tile_size, Image.Resampling.BILINEAR)
        sheet.paste(tile, ((index % columns) * tile_size[0], (index // columns) * tile_size[1]))
    sheet.save(path, format="JPEG", quality=80)
