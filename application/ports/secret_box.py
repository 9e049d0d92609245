"""Port: sealing secrets (providers' API keys) so that what is stored cannot be read without the box's key."""

from typing import Protocol

from application.errors import ApplicationError


class SecretUnreadable(ApplicationError):
    """A sealed secret this box cannot open (sealed under another key, or damaged); it never says more."""


class SecretBox(Protocol):
    def seal(self, secret: str) -> str:
        """An opaque token holding `secret`, safe to store."""
        ...

    def open(self, token: str) -> str:
        """The secret sealed in `token`; SecretUnreadable if this box did not seal it."""
        ...
