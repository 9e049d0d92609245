"""The rate-limit middleware: 429 RATE_LIMITED with Retry-After once a client's bucket is empty."""

from aiohttp import web
from attrs import frozen

from domain.access import Role
from entrypoints.http.auth.access_table import AccessTable
from entrypoints.http.auth.middleware import route_template
from entrypoints.http.auth.principal import PRINCIPAL_KEY
from entrypoints.http.errors import Handler, envelope
from entrypoints.http.limits.token_bucket import TokenBuckets
from entrypoints.http.operation import Operation
from entrypoints.settings import Settings

GENERATION_PATHS = ("/api/v1/generation", "/api/v1/generation/batch", "/api/v1/queue/jobs", "/api/v1/openai/generate")


@frozen
class RequestKinds:
    """Which routes count against the upload and generation limits (besides the general one)."""

    uploads: frozenset[tuple[str, str]]
    generation: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, operations: list[Operation]) -> "RequestKinds":
        return cls(frozenset((o.method, o.path) for o in operations if o.upload),
                   frozenset((o.method, o.path) for o in operations
                             if o.method == "POST" and o.path in GENERATION_PATHS))

    def of_request(self, method: str, template: str) -> str | None:
        if (method, template) in self.uploads:
            return "upload"
        return "generation" if (method, template) in self.generation else None


def client_key(request: web.Request) -> str:
    principal = request.get(PRINCIPAL_KEY)
    return f"sub:{principal.subject}" if principal is not None else f"ip:{request.remote}"


def _limits(settings: Settings) -> dict[str, TokenBuckets]:
    wanted = {"all": settings.rate_limit_per_minute, "upload": settings.rate_limit_upload_per_minute,
              "generation": settings.rate_limit_generation_per_minute}
    return {kind: TokenBuckets(limit) for kind, limit in wanted.items() if limit > 0}


def rate_limit_middleware(settings: Settings, operations: list[Operation],  # type: ignore[no-untyped-def]
                          access: AccessTable):
    limits, kinds = _limits(settings), RequestKinds.of(operations)

    @web.middleware
    async def limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        template = route_template(request)
        if template is None or access.required(request.method, template) is Role.PUBLIC:
            return await handler(request)
        key = client_key(request)
        for kind in ("all", kinds.of_request(request.method, template)):
            buckets = limits.get(kind) if kind else None
            wait = buckets.take(key) if buckets else 0
            if wait:
                response = envelope(429, f"Too many requests ({kind}): retry in {wait} s", {"retry_after": wait})
                response.headers["Retry-After"] = str(wait)
                return response
        return await handler(request)

    return limit
