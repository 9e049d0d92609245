"""A probe whose answer a test sets."""

from attrs import define


@define
class StaticProbe:
    name: str
    error: str | None = None

    async def check(self) -> None:
        if self.error is not None:
            raise RuntimeError(self.error)
