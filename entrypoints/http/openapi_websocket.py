"""The WebSocket `/api/v1/ws` described in the document (OpenAPI has no WebSocket operations): messages in and out."""

from typing import Any

JOB = {"$ref": "#/components/schemas/QueueJob"}
INCOMING = {
    "subscribe_queue": {"description": "Follow one project's jobs (or every project's, with no project_id): a "
                                       "queue_snapshot first, then every change",
                        "data": {"type": "object", "properties": {"project_id": {"type": ["string", "null"],
                                                                                "maxLength": 200}}}},
    "unsubscribe_queue": {"description": "Stop following a project", "data": {"type": "object", "properties": {
        "project_id": {"type": ["string", "null"], "maxLength": 200}}}},
    "ping": {"description": "Answered with pong", "data": {"type": "object"}},
}
OUTGOING = {
    "queue_snapshot": {"description": "The project's waiting and running jobs, sent on subscribing",
                       "data": {"type": "object", "required": ["project_id", "jobs"], "properties": {
                           "project_id": {"type": ["string", "null"]},
                           "jobs": {"type": "array", "items": {"allOf": [JOB, {"required": ["job_id"]}]}}}}},
    "queue_update": {"description": "A job changed state or progressed: the job as GET /queue/jobs/{job_id} answers "
                                    "it, plus job_id", "data": {"allOf": [JOB, {"required": ["job_id"]}]}},
    "queue_preview": {"description": "A sampler preview of a running job (a JPEG data URL)", "data": {
        "type": "object", "required": ["job_id", "clip_id", "project_id", "image"],
        "properties": {"job_id": {"type": "string"}, "clip_id": {"type": "string"},
                       "project_id": {"type": "string"}, "image": {"type": "string"}}}},
    "animatic_update": {"description": "An animatic render job of the project changed or progressed: the job as "
                                       "GET /projects/{project_id}/animatic answers it",
                        "data": {"$ref": "#/components/schemas/RenderJob"}},  # issue 13
    "pong": {"description": "The answer to ping", "data": {"type": "object"}},
    "heartbeat": {"description": "Sent every 20 s", "data": {"type": "object"}},
    "error": {"description": "A message that could not be understood", "data": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"const": "VALIDATION_ERROR"}, "message": {"type": "string"}}}},
}
WEBSOCKET: dict[str, Any] = {
    "path": "/api/v1/ws",
    "description": "JSON text messages, each {\"type\": ..., \"data\": {...}}; updates reach every subscriber of "
                   "every API instance (change feeds on the database).",
    "incoming": INCOMING,
    "outgoing": OUTGOING,
}
DESCRIPTION = """Storyboards from a song and a shot list, generated on ComfyUI fleets.

Input is strict: a value is taken only as the JSON type its schema gives (a string is never a list, a number
never a string; an integer is a number without a fraction), unknown fields are refused, and every limit below
(lengths, ranges, patterns, enums, array sizes) is enforced as stated: anything outside is a 400
VALIDATION_ERROR whose `details.fields` names each field and its limit. Nothing is clamped; a generation size or
frame count within a model's range is rounded to the model's step (e.g. a multiple of 16, 8n+1 frames). Ids are
24 lowercase hex digits; any other id names nothing (404). Links on the create operations show where a new id
goes.

WebSocket `/api/v1/ws` (see `x-websocket` in this object for every message): send
`{"type": "subscribe_queue", "data": {"project_id": "..."}}`; the server answers `queue_snapshot`, then pushes
`queue_update` (the job, as GET /api/v1/queue/jobs/{job_id} returns it, plus `job_id`) on every state change and
progress tick, and `queue_preview` with sampler previews; `ping` is answered `pong`, a `heartbeat` comes every
20 s, and a message it cannot read is answered `error`."""
