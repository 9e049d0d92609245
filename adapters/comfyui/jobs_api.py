"""A prompt's state and outcome read from today's jobs API (`GET /api/jobs/{id}`)."""

from typing import Any

from adapters.comfyui.history import failure, output_files
from application.ports.generation_backend import PromptOutcome, PromptReport, PromptState, PromptStatus

ACTIVE = {"pending", "in_progress"}


def report_from_job(prompt_id: str, job: dict[str, Any] | None) -> PromptReport:
    if job is None:
        return PromptReport(PromptState.UNKNOWN)
    status = job.get("status")
    if status in ACTIVE:
        return PromptReport(PromptState.ACTIVE)
    if status == "cancelled":
        return PromptReport(PromptState.ENDED, PromptOutcome(prompt_id, PromptStatus.INTERRUPTED, error="interrupted"))
    if status == "failed":
        return PromptReport(PromptState.ENDED, failure(prompt_id, job.get("execution_error") or {}))
    outputs = job.get("outputs") or {}
    return PromptReport(PromptState.ENDED, PromptOutcome(prompt_id, PromptStatus.SUCCEEDED,
                                                         outputs=output_files(outputs)))
