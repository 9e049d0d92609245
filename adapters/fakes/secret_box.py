"""An in-memory secret box: reversible without a key, but never stores the secret as written."""

import base64

from attrs import define

from application.ports.secret_box import SecretUnreadable

PREFIX = "sealed:"


@define
class ReversingSecretBox:
    def seal(self, secret: str) -> str:
        return PREFIX + base64.urlsafe_b64encode(secret[::-1].encode()).decode()

    def open(self, token: str) -> str:
        if not token.startswith(PREFIX):
            raise SecretUnreadable("a stored key cannot be opened (it was sealed by another box)")
        return base64.urlsafe_b64decode(token.removeprefix(PREFIX)).decode()[::-1]
