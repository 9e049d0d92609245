"""One API operation: its route and everything the OpenAPI document says about it."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
import attrs
from attrs import field, frozen

from domain.access import Role
from domain.validation import ENTITY_ID

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PATH_PARAMETER = re.compile(r"\{(\w+)\}")
ID_SEGMENT = ENTITY_ID.removeprefix("^").removesuffix("$")


@frozen
class QueryParam:
    name: str
    schema: dict[str, Any]
    description: str = ""


@frozen
class PageOf:
    """A response holding one page of `item` entities."""

    item: type


@frozen
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    status: int = 200
    body: type | None = None
    body_exclude: tuple[str, ...] = ()  # command fields that come from the path
    response: Any = None  # attrs class, list[cls], PageOf(cls) or a raw schema dict
    query: tuple[QueryParam, ...] = ()
    errors: tuple[int, ...] = ()
    response_media: str = "application/json"
    operation_id: str = field(default="")
    upload: bool = False  # the body is multipart/form-data with one `file` part
    accepts: tuple[str, ...] = ()  # the media types that `file` may be (read from its bytes, not its header)
    content: dict[str, Any] | None = None  # media type -> schema, for responses that are not one JSON type
    ranges: bool = False  # a file served with byte ranges and conditional requests (206, 304, 412, 416)
    etag: bool = False  # answers an ETag, and 304 with no body to an If-None-Match naming it
    creates: str = ""  # the path parameter (e.g. "project_id") the created resource's id fills: links follow
    created_id: str = "/id"  # where that id is in the response body (a JSON pointer)
    after: str = ""  # what must happen to a new resource first (e.g. "a song is uploaded"): no link from its creation
    path_schemas: dict[str, dict[str, Any]] = field(factory=dict)  # path parameters other than ids
    role: Role | None = None  # who may call it; None (undeclared) is served to admins only and fails a test
    query_token: bool = False  # a file a browser loads (<img>, <video>): the credential may also come as ?token=

    @property
    def path_parameters(self) -> list[str]:
        return PATH_PARAMETER.findall(self.path)

    @property
    def route_path(self) -> str:
        """The path for the router: an id segment matches only an id's form (anything else is not found, and
        `/queue/jobs/finished` is never taken for a job id)."""
        return PATH_PARAMETER.sub(lambda m: "{%s:%s}" % (m[1], ID_SEGMENT) if self.takes_an_id(m[1]) else m[0],
                                  self.path)

    def takes_an_id(self, name: str) -> bool:
        """An `_id` path parameter is an entity id (24 hex digits) unless the operation describes it otherwise."""
        return name.endswith("_id") and name not in self.path_schemas

    @property
    def error_codes(self) -> list[int]:
        codes = set(self.errors)
        if self.body is not None or self.query:
            codes.add(400)
        if self.path_parameters or self._body_references():
            codes.add(404)
        if self.body is not None:
            codes.update((408, 413))
        if self.upload:
            codes.update((400, 408, 413, 415))
        if self.ranges:
            codes.update((412, 416))
        if self.role is not Role.PUBLIC:
            codes.update((401, 403, 429))
        return sorted(codes | {500})


    def _body_references(self) -> bool:
        """The body names other entities by id (project_id, scene_id, ...), which may not exist."""
        if self.body is None:
            return False
        return any(f.name.endswith("_id") and f.name not in self.body_exclude for f in attrs.fields(self.body))


SKIP_LIMIT = (
    QueryParam("skip", {"type": "integer", "minimum": 0, "maximum": 1_000_000_000, "default": 0}, "Items to skip"),
    QueryParam("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, "Page size"),
)
