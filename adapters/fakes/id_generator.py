"""Sequential ids that sort by creation, like ObjectIds."""

import itertools

from attrs import define, field


@define
class SequentialIds:
    _counter: itertools.count = field(factory=lambda: itertools.count(1))

    def new_id(self) -> str:
        return f"{next(self._counter):024x}"


@define
class SequentialSeeds:
    _counter: itertools.count = field(factory=lambda: itertools.count(1000))

    def new_seed(self) -> int:
        return next(self._counter)
