"""Each route's declared requirement, and whether it takes `?token=`, looked up by method and route template."""

from attrs import field, frozen

from domain.access import Role
from entrypoints.http.operation import Operation

# Routes that are not API operations; each declares its requirement here.
OTHER_ROUTES: dict[tuple[str, str], Role] = {
    ("GET", "/api/v1/ws"): Role.VIEWER,
    ("GET", "/api/v1/openapi.json"): Role.PUBLIC,
    ("GET", "/api/v1/docs"): Role.PUBLIC,
    ("GET", "/api/v1/docs/assets/{name}"): Role.PUBLIC,
}
UNDECLARED = Role.ADMIN  # an operation that declares nothing is closed to all but admins


@frozen
class AccessTable:
    roles: dict[tuple[str, str], Role]
    query_tokens: frozenset[tuple[str, str]] = field(factory=frozenset)  # file routes a browser loads

    @classmethod
    def of(cls, operations: list[Operation]) -> "AccessTable":
        declared = {(o.method, o.path): o.role if o.role is not None else UNDECLARED for o in operations}
        return cls({**OTHER_ROUTES, **declared}, frozenset((o.method, o.path) for o in operations if o.query_token))

    def required(self, method: str, template: str) -> Role:
        method = "GET" if method == "HEAD" else method
        return self.roles.get((method, template), UNDECLARED)

    def takes_query_token(self, method: str, template: str) -> bool:
        return ("GET" if method == "HEAD" else method, template) in self.query_tokens
