"""A provider job's stored request: one node holding the `POST /v1/videos` parameters, so that the runner treats it
like any workflow (the start image's storage key is swapped for the image itself when the job runs)."""

from typing import Any

REQUEST_NODE = "video"
REQUEST_CLASS = "OpenAIVideosCreate"


def video_workflow(*, prompt: str, model: str, seconds: int, size: str, input_reference: str | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {"prompt": prompt, "model": model, "seconds": str(seconds), "size": size}
    if input_reference is not None:
        inputs["input_reference"] = input_reference
    return {REQUEST_NODE: {"class_type": REQUEST_CLASS, "inputs": inputs}}


def request_of(workflow: dict[str, Any]) -> dict[str, Any]:
    """The parameters of a stored request (ValueError for anything else)."""
    node = workflow.get(REQUEST_NODE)
    if not isinstance(node, dict) or node.get("class_type") != REQUEST_CLASS:
        raise ValueError("not a /v1/videos request")
    return dict(node["inputs"])
