"""Jobs API model of today's servers (comfy_execution/jobs.py): ids, statuses, job views, list and cancel."""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from attrs import define, field

from simulators.comfyui.execution.job_outputs import count_previewable_outputs, normalize_outputs, outputs_summary

PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED = "pending", "in_progress", "completed", "failed", "cancelled"
ALL_STATUSES = (PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED)
CANCEL_RUNNING, CANCEL_PENDING, CANCEL_TERMINAL, CANCEL_UNKNOWN = "running", "pending", "terminal", "unknown"
Item = Sequence[Any]  # a queue or history 5-list: number, prompt_id, prompt, extra_data, outputs


def validate_job_id(value: Any) -> str:
    """The id unchanged if it is a canonical (lowercase, hyphenated) UUID string, else ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"job id must be a string, got {type(value).__name__}")
    if str(uuid.UUID(value)) != value:
        raise ValueError("job id must be a UUID in canonical lowercase hyphenated form")
    return value


def _pruned(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _metadata(extra_data: dict[str, Any]) -> tuple[int | None, str | None]:
    """(create_time, workflow_id) from a prompt's extra_data."""
    workflow = (extra_data.get("extra_pnginfo") or {}).get("workflow") or {}
    return extra_data.get("create_time"), workflow.get("id")


def normalize_queue_item(item: Item, status: str, *, include_workflow: bool = False) -> dict[str, Any]:
    """A pending or running prompt as a job."""
    priority, prompt_id, prompt, extra_data, _ = item
    create_time, workflow_id = _metadata(extra_data)
    job = _pruned({"id": prompt_id, "status": status, "priority": priority, "create_time": create_time,
                   "outputs_count": 0, "previewable_outputs_count": 0, "workflow_id": workflow_id})
    if include_workflow:
        job["workflow"] = {"prompt": prompt, "extra_data": extra_data}
    return job


@define
class _Messages:
    """What a history entry's status messages tell: times, the error, an interrupt, per-node errors."""

    start: int | None = None
    end: int | None = None
    error: dict[str, Any] | None = None
    success: dict[str, Any] | None = None
    interrupted: bool = False
    node_errors: list[dict[str, Any]] = field(factory=list)

    @classmethod
    def scan(cls, messages: Sequence[Any]) -> "_Messages":
        found = cls()
        for entry in messages:
            if isinstance(entry, (list, tuple)) and len(entry) >= 2 and isinstance(entry[1], dict):
                found._take(entry[0], entry[1])
        return found

    def _take(self, event: str, data: dict[str, Any]) -> None:
        if event == "execution_start":
            self.start = data.get("timestamp")
        elif event in ("execution_success", "execution_error", "execution_interrupted"):
            self.end = data.get("timestamp")
            self.success = data if event == "execution_success" else self.success
            self.error = data if event == "execution_error" else self.error
            self.interrupted = self.interrupted or event == "execution_interrupted"
        elif event == "execution_node_error":
            self.node_errors.append(data)


def _status(status_str: str | None, seen: _Messages) -> str:
    if status_str == "error":
        return CANCELLED if seen.interrupted else FAILED
    return COMPLETED


def _completion(status_info: dict[str, Any] | None, seen: _Messages) -> dict[str, Any]:
    """completion_status, has_errors and execution_error_count of a finished prompt."""
    summary = (status_info or {}).get("execution_summary") or {}
    completion = summary.get("completion_status")
    if completion is None and seen.success is not None:
        completion = seen.success.get("completion_status", "success")
    if completion is None and (status_info or {}).get("status_str") == "success":
        completion = "success"
    if not status_info:
        return {"completion_status": completion, "has_errors": None, "execution_error_count": None}
    errors = len(seen.node_errors) or int(seen.error is not None)
    return {"completion_status": completion,
            "has_errors": summary.get("has_errors", bool(seen.node_errors) or seen.error is not None),
            "execution_error_count": summary.get("execution_error_count", errors)}


def normalize_history_item(prompt_id: str, entry: dict[str, Any], *, include_outputs: bool = False) -> dict[str, Any]:
    """A finished prompt (a history entry) as a job; with its outputs, status and workflow if asked."""
    priority, _, prompt, extra_data, _ = entry["prompt"]
    create_time, workflow_id = _metadata(extra_data)
    status_info = entry.get("status") or {}
    seen = _Messages.scan(status_info.get("messages", []))
    outputs = entry.get("outputs", {})
    count, preview = outputs_summary(outputs)
    job = _pruned({
        "id": prompt_id, "status": _status(status_info.get("status_str"), seen), "priority": priority,
        "create_time": create_time, "execution_start_time": seen.start, "execution_end_time": seen.end,
        "execution_error": seen.error, **_completion(entry.get("status"), seen), "outputs_count": count,
        "previewable_outputs_count": count_previewable_outputs(outputs), "preview_output": preview,
        "workflow_id": workflow_id,
    })
    if include_outputs:
        job |= {"outputs": normalize_outputs(outputs), "execution_status": entry.get("status"),
                "execution_errors": seen.node_errors, "workflow": {"prompt": prompt, "extra_data": extra_data}}
    return job


def get_job(prompt_id: str, running: list[Item], queued: list[Item],
            history: dict[str, Any]) -> dict[str, Any] | None:
    """One job in full, looked up in history, then the running and the pending prompts."""
    if prompt_id in history:
        return normalize_history_item(prompt_id, history[prompt_id], include_outputs=True)
    for items, status in ((running, IN_PROGRESS), (queued, PENDING)):
        for item in items:
            if item[1] == prompt_id:
                return normalize_queue_item(item, status, include_workflow=True)
    return None


def _sort_key(sort_by: str) -> Callable[[dict[str, Any]], Any]:
    if sort_by == "execution_duration":
        def duration(job: dict[str, Any]) -> Any:
            start, end = job.get("execution_start_time", 0), job.get("execution_end_time", 0)
            return end - start if end and start else 0
        return duration
    return lambda job: job.get("create_time", 0)


def get_all_jobs(running: list[Item], queued: list[Item], history: dict[str, Any], *,
                 status_filter: Sequence[str] | None = None, workflow_id: str | None = None,
                 sort_by: str = "created_at", sort_order: str = "desc", limit: int | None = None,
                 offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """(one page of jobs, how many matched), filtered by status and workflow, sorted."""
    wanted = set(ALL_STATUSES if status_filter is None else status_filter)
    jobs = [normalize_queue_item(item, IN_PROGRESS) for item in running if IN_PROGRESS in wanted]
    jobs += [normalize_queue_item(item, PENDING) for item in queued if PENDING in wanted]
    if wanted & {COMPLETED, FAILED, CANCELLED}:
        finished = (normalize_history_item(prompt_id, entry) for prompt_id, entry in history.items())
        jobs += [job for job in finished if job.get("status") in wanted]
    if workflow_id:
        jobs = [job for job in jobs if job.get("workflow_id") == workflow_id]
    jobs = sorted(jobs, key=_sort_key(sort_by), reverse=sort_order == "desc")
    page = jobs[offset:] if offset > 0 else jobs
    return (page if limit is None else page[:limit]), len(jobs)


def classify_job_for_cancel(prompt_id: str, running: list[Item], queued: list[Item], history: dict[str, Any]) -> str:
    """running, pending, terminal (in history) or unknown."""
    if any(item[1] == prompt_id for item in running):
        return CANCEL_RUNNING
    if any(item[1] == prompt_id for item in queued):
        return CANCEL_PENDING
    return CANCEL_TERMINAL if prompt_id in history else CANCEL_UNKNOWN


def cancel_job(prompt_id: str, running: list[Item], queued: list[Item], history: dict[str, Any], *,
               interrupt: Callable[[str], bool], dequeue: Callable[[str], bool]) -> str:
    """Interrupt a running job, dequeue a pending one (interrupting it if it started meanwhile); else no-op."""
    classification = classify_job_for_cancel(prompt_id, running, queued, history)
    if classification == CANCEL_RUNNING:
        return CANCEL_RUNNING if interrupt(prompt_id) else CANCEL_UNKNOWN
    if classification == CANCEL_PENDING:
        if dequeue(prompt_id):
            return CANCEL_PENDING
        return CANCEL_RUNNING if interrupt(prompt_id) else CANCEL_UNKNOWN
    return classification
