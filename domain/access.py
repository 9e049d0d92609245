"""Who may call what: roles ordered by power, and the principal a request acts as."""

import enum

from attrs import frozen


class Role(enum.IntEnum):
    """An operation's requirement; a principal's role satisfies every requirement at or below it."""

    PUBLIC = 0  # no credential needed (liveness for load balancers, the API document)
    VIEWER = 1  # reads and the WebSocket
    EDITOR = 2  # boards, uploads, generation, exports
    ADMIN = 3  # ComfyUI servers, video providers, webhooks, queue pause/resume/clear, metrics

    @classmethod
    def named(cls, name: str) -> "Role":
        """`viewer` -> Role.VIEWER; ValueError for anything but viewer, editor and admin."""
        try:
            role = cls[name.strip().upper()]
        except KeyError:
            role = cls.PUBLIC
        if role is cls.PUBLIC:
            raise ValueError(f"{name!r} is not a role (viewer, editor or admin)")
        return role


@frozen
class Principal:
    """The caller: a subject (a JWT's `sub`, or `key:<role>#<n>` for an API key) and its role."""

    subject: str
    role: Role

    def may(self, required: Role) -> bool:
        return self.role >= required


ANONYMOUS = Principal("anonymous", Role.ADMIN)  # with authentication off every caller may do everything


def parse_api_keys(text: str) -> tuple[tuple[Role, str], ...]:
    """`viewer:k1,admin:k2` -> ((VIEWER, "k1"), (ADMIN, "k2")); ValueError naming a bad entry (never its key)."""
    keys = []
    for number, entry in enumerate((part.strip() for part in text.split(",")), start=1):
        if not entry:
            continue
        name, colon, key = entry.partition(":")
        if not colon or not key.strip():
            raise ValueError(f"entry {number} must be role:key")
        keys.append((Role.named(name), key.strip()))
    return tuple(keys)
