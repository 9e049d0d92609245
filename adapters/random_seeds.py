"""Seeds from the operating system's randomness."""

import secrets

from domain.generation_plan import MAX_SEED


class RandomSeeds:
    def new_seed(self) -> int:
        return secrets.randbelow(MAX_SEED + 1)
