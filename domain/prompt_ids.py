"""Prompt ids: one canonical UUID per attempt of a job, as today's ComfyUI requires.

Derived (UUID 5) from the job id and the attempt number, so the id is known before the POST, is the
same for every instance that recovers the attempt, and names the job it belongs to for anyone who
knows the job ids (the queue benchmark matches prompts to jobs this way).
"""

import uuid

NAMESPACE = uuid.UUID("5b0e9c2e-63a1-4f8e-9d8a-2f4c7d1e0a51")  # StoryCanvas prompt ids


def attempt_prompt_id(job_id: str, attempt: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{job_id}/{attempt}"))
