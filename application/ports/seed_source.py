"""Port: fresh random seeds for generations that do not fix one."""

from typing import Protocol


class SeedSource(Protocol):
    def new_seed(self) -> int:
        """A seed in 0..2**53-1 (what JSON and ComfyUI both carry exactly)."""
        ...
