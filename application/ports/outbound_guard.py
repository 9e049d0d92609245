"""Port: may the backend send requests to a URL a user gave (its addresses, once resolved)?"""

from typing import Protocol


class OutboundGuard(Protocol):
    async def refusal(self, url: str) -> str | None:
        """Why requests to `url` must not be sent (naming the rule), or None if they may."""
        ...
