"""What every log line carries: the request id (from X-Request-ID or made), and for a queue job's lines the
job id and the id of the request that enqueued it (known to the instance that took that request)."""

import asyncio
import contextvars
import logging
from collections import OrderedDict

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
JOB_TASK_PREFIX = "job "  # the dispatcher names each job's task "job <id>"
MAX_REMEMBERED = 10_000
_job_requests: OrderedDict[str, str] = OrderedDict()


def remember_job_request(job_id: str) -> None:
    """The current request enqueued `job_id`."""
    request_id = REQUEST_ID.get()
    if request_id is None:
        return
    _job_requests[job_id] = request_id
    while len(_job_requests) > MAX_REMEMBERED:
        _job_requests.popitem(last=False)


def _current_job() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    name = task.get_name() if task is not None else ""
    return name.removeprefix(JOB_TASK_PREFIX) if name.startswith(JOB_TASK_PREFIX) else None


class LogContextFilter(logging.Filter):
    """Adds `request_id` and `job_id` to every record (None where there is none); a record given its own
    (the access log's, written after the request's context is gone) keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        job_id = getattr(record, "job_id", None) or _current_job()
        record.job_id = job_id
        record.request_id = getattr(record, "request_id", None) or REQUEST_ID.get() or (
            _job_requests.get(job_id) if job_id else None)
        return True
