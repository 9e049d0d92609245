"""The query of GET /v1/videos: `after` (a video id), `limit` (0 to 100, default 20), `order` (asc|desc)."""

from collections.abc import Mapping

from attrs import frozen

from simulators.openai_video.api_errors import OpenAIError, invalid_type, invalid_value, unknown_parameter

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@frozen
class ListQuery:
    """A checked list query, or the OpenAIError the real API would answer."""

    after: str | None
    limit: int
    order: str

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ListQuery":
        for name in query:
            if name not in ("after", "limit", "order"):
                raise unknown_parameter(name)
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise invalid_value("order", order, ("asc", "desc"))
        return cls(query.get("after"), _limit(query.get("limit")), order)


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        raise invalid_type("limit", "an integer", text) from None
    if limit < 0:
        raise OpenAIError(400, f"Invalid 'limit': integer below minimum value. Expected a value >= 0, but got "
                               f"{limit} instead.", param="limit", code="integer_below_min_value")
    if limit > MAX_LIMIT:
        raise OpenAIError(400, f"Invalid 'limit': integer above maximum value. Expected a value <= {MAX_LIMIT}, "
                               f"but got {limit} instead.", param="limit", code="integer_above_max_value")
    return limit
