"""Workflows that need no model weights: they run on the simulator and on a real CPU-only ComfyUI."""

import random
from typing import Any


def image(prefix: str = "sc_image", *, size: int = 64, batch: int = 1) -> dict[str, Any]:
    return {"1": {"class_type": "EmptyImage", "inputs": {"width": size, "height": size, "batch_size": batch,
                                                         "color": 16711680}},
            "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": prefix}}}


def animation(prefix: str = "sc_anim") -> dict[str, Any]:
    return {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 4, "color": 255}},
            "2": {"class_type": "SaveAnimatedWEBP", "inputs": {"images": ["1", 0], "filename_prefix": prefix,
                                                               "fps": 6.0, "lossless": False, "quality": 80,
                                                               "method": "default"}}}


def runtime_error() -> dict[str, Any]:
    return {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 0}},
            "2": {"class_type": "ImageToMask", "inputs": {"image": ["1", 0], "channel": "alpha"}},
            "3": {"class_type": "MaskToImage", "inputs": {"mask": ["2", 0]}},
            "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": "sc_error"}}}


def slow(prefix: str = "sc_slow") -> dict[str, Any]:
    """About 18 s on a 2-core CPU ComfyUI, almost all of it in ImageBlur; a fresh colour each time, so a real
    ComfyUI cannot answer it from its cache of an earlier run."""
    return {"1": {"class_type": "EmptyImage", "inputs": {"width": 2048, "height": 2048, "batch_size": 4,
                                                         "color": random.randrange(1, 0xFFFFFF)}},
            "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 31, "sigma": 10.0}},
            "3": {"class_type": "ImageInvert", "inputs": {"image": ["2", 0]}},
            "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": prefix}}}


def scaled_upload(name: str) -> dict[str, Any]:
    return {"1": {"class_type": "LoadImage", "inputs": {"image": name}},
            "2": {"class_type": "ImageScale", "inputs": {"image": ["1", 0], "upscale_method": "nearest-exact",
                                                         "width": 80, "height": 60, "crop": "disabled"}},
            "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "sc_scaled"}}}
