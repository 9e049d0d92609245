"""OpenAI's error bodies, `{"error": {"message", "type", "param", "code"}}`, and the messages it words them with."""

from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp import web

INVALID_REQUEST = "invalid_request_error"


class OpenAIError(Exception):
    """An answer in OpenAI's error shape; raised by handlers and middlewares, written by `translate_errors`."""

    def __init__(self, status: int, message: str, *, type: str = INVALID_REQUEST, param: str | None = None,
                 code: str | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def response(self) -> web.Response:
        return web.json_response(self.body(), status=self.status, headers=self.headers)


def quoted_list(values: Iterable[str], *, conjunction: str = "and") -> str:
    """`'4', '8', and '12'`, as OpenAI lists allowed values."""
    quoted = [f"'{value}'" for value in values]
    if len(quoted) <= 2:
        return f" {conjunction} ".join(quoted)
    return ", ".join(quoted[:-1]) + f", {conjunction} " + quoted[-1]


def invalid_value(param: str, value: str, allowed: Iterable[str]) -> OpenAIError:
    return OpenAIError(400, f"Invalid value: '{value}'. Supported values are: {quoted_list(allowed)}.",
                       param=param, code="invalid_value")


def invalid_type(param: str, expected: str, value: object) -> OpenAIError:
    return OpenAIError(400, f"Invalid type for '{param}': expected {expected}, but got {json_type(value)} instead.",
                       param=param, code="invalid_type")


def missing_parameter(param: str) -> OpenAIError:
    return OpenAIError(400, f"Missing required parameter: '{param}'.", param=param,
                       code="missing_required_parameter")


def unknown_parameter(param: str) -> OpenAIError:
    return OpenAIError(400, f"Unknown parameter: '{param}'.", param=param, code="unknown_parameter")


def video_not_found(video_id: str) -> OpenAIError:
    return OpenAIError(404, f"Video with id '{video_id}' not found.", param="video_id")


def invalid_url(method: str, path: str) -> OpenAIError:
    return OpenAIError(404, f"Invalid URL ({method} {path})")


def json_type(value: object) -> str:
    """How OpenAI's messages name the JSON type of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"
