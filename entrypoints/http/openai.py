"""The design's OpenAI routes, on whichever video provider is registered: generate a clip's video, a provider job's
status (with the provider's own), and whether providers are configured, answer and take their keys."""

from aiohttp import web

from application.video_providers.generate_video import GenerateVideo
from application.video_providers.provider_job import ProviderJob
from application.video_providers.provider_status import VideoProvidersStatus
from domain.access import Role
from domain.queue_job import QueueJob
from entrypoints.http.job_owner import owner_of  # issue 14: fair share and the cap by owner
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import read_command
from entrypoints.http.responses import respond, use_cases


async def generate_video(request: web.Request) -> web.Response:
    command = await read_command(request, GenerateVideo)
    return respond(request, await use_cases(request).generate_video()(command, owner=owner_of(request)),
                   status=202)


async def provider_job(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_provider_job()(request.match_info["job_id"]))


async def providers_status(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).video_providers_status()())


BASE = "/api/v1/openai"
OPERATIONS = [
    Operation("POST", BASE + "/generate", generate_video,
              "Queue a clip's video on a video provider (image-to-video from its selected image); 503 with none",
              "openai", status=202, body=GenerateVideo, response=QueueJob, errors=(409, 503),
              operation_id="generate_provider_video", creates="job_id", role=Role.EDITOR),
    Operation("GET", BASE + "/jobs/{job_id}", provider_job,
              "A provider job, with its video's status as the provider reports it now", "openai",
              response=ProviderJob, role=Role.VIEWER),
    Operation("GET", BASE + "/status", providers_status,
              "Video providers: configured or not, reachable, key accepted, models (never the key)", "openai",
              response=VideoProvidersStatus, role=Role.VIEWER),
]
