"""Port: a generation server (ComfyUI, or a video provider's `/v1/videos`): submit a workflow, follow it, fetch
its outputs, cancel it. A server is named by its address: a ComfyUI server's URL, a provider's `provider:<id>`."""

from collections.abc import AsyncIterator, Awaitable, Callable
from enum import Enum
from typing import Any, Protocol

from attrs import field, frozen

from application.errors import ApplicationError
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog


class WorkflowRejected(ApplicationError):
    """The server refused the workflow; `node_errors` names the nodes and why.

    `permanent`: refused for its structure (no server will take it: fail the job now); otherwise the
    refusal may be this server's alone (a model file or node class missing there: try another server).
    """

    def __init__(self, message: str, node_errors: dict[str, Any] | None = None, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.node_errors = node_errors or {}
        self.permanent = permanent


@frozen
class ServerProbe:
    version: str | None
    latency_ms: float
    devices: tuple[str, ...] = ()


@frozen
class OutputFile:
    node_id: str
    filename: str
    subfolder: str
    folder_type: str  # ComfyUI's "type": output | temp | input
    animated: bool = False
    role: str = "result"  # "result": a take; "poster": the still that stands for the take (a video's thumbnail)


class PromptStatus(str, Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@frozen
class PromptEvent:
    """Something happened to a prompt: it started, a node ran, progress ticked, a sampler preview came."""

    prompt_id: str
    kind: str  # started | executing | progress | executed | preview
    node: str | None = None
    value: int | None = None
    maximum: int | None = None
    image: bytes | None = None  # preview: a JPEG of at most 512 px on the long side


@frozen
class PromptOutcome:
    prompt_id: str
    status: PromptStatus
    outputs: tuple[OutputFile, ...] = ()
    error: str | None = None
    details: dict[str, Any] = field(factory=dict)
    provenance: dict[str, Any] = field(factory=dict)  # what the server reports of the result (its own ids, ...)


class PromptState(str, Enum):
    """What a server knows of a prompt."""

    ACTIVE = "active"  # waiting in its queue or running
    ENDED = "ended"  # finished; the report carries the outcome
    UNKNOWN = "unknown"  # no trace of it (never received, or lost in a restart)


@frozen
class PromptReport:
    state: PromptState
    outcome: PromptOutcome | None = None  # set when ENDED


OnEvent = Callable[[PromptEvent], Awaitable[None]]


class GenerationBackend(Protocol):
    async def probe(self, server_url: str) -> ServerProbe: ...

    async def models(self, server_url: str) -> ModelCatalog: ...

    async def node_catalog(self, server_url: str) -> NodeCatalog: ...

    async def submit(self, server_url: str, workflow: dict[str, Any], *, prompt_id: str) -> str | None:
        """Queue the workflow under `prompt_id`, once: a retried POST never runs it twice.

        Returns the id the server gave the work when it names it itself (a provider's video id): follow, status and
        cancel then take that id. None: the work goes by `prompt_id`. Raises WorkflowRejected or UpstreamUnavailable.
        """
        ...

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        """Relay the prompt's events (previews at most once a second) until it ends; survives dropped sockets."""
        ...

    def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]: ...

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        """Store an input image on the server; returns the name workflows refer to it by (a server that takes
        images with the request itself returns the image as a data URL)."""
        ...

    async def status(self, server_url: str, prompt_id: str) -> PromptReport:
        """Whether the server holds the prompt (queued or running), finished it (with the outcome), or has no trace."""
        ...

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        """Interrupt the prompt if it runs, or take it off the queue; other prompts are untouched."""
        ...
