"""Errors a use case reports to its caller, whatever the entrypoint."""


class ApplicationError(Exception):
    """Base of the errors entrypoints translate for their users."""


class NotFound(ApplicationError):
    def __init__(self, kind: str, entity_id: str) -> None:
        super().__init__(f"{kind} with id '{entity_id}' not found")
        self.kind = kind
        self.entity_id = entity_id


class Conflict(ApplicationError):
    """The request conflicts with the stored state (stale version, broken rule)."""


class ConcurrentChange(Conflict):
    """Another unit of work changed the same data first; running this one again may succeed."""


class UpstreamUnavailable(ApplicationError):
    """A server this use case needs did not answer."""


class PayloadTooLarge(ApplicationError):
    """An upload (or what it decodes to) is bigger than the configured limit."""


class UnsupportedMedia(ApplicationError):
    """The content is not of a type this operation accepts (judged by its bytes, not its name)."""


class NotConfigured(ApplicationError):
    """What the request needs is not set up on this server (no video provider); the message says how to set it up."""
