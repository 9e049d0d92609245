"""Video provider registry routes: engines serving the /v1/videos API, with their keys sealed and never shown."""

from aiohttp import web

from application.video_providers.delete_provider import DeleteProvider, ProviderDeleted
from application.video_providers.register_provider import RegisterProvider
from application.video_providers.update_provider import ProviderChanges, UpdateProvider
from application.video_providers.views import ProviderView
from domain.access import Role
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import read_command
from entrypoints.http.responses import respond, use_cases


async def register_video_provider(request: web.Request) -> web.Response:
    command = await read_command(request, RegisterProvider)
    return respond(request, await use_cases(request).register_video_provider()(command), status=201)


async def list_video_providers(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_video_providers()())


async def get_video_provider(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_video_provider()(request.match_info["provider_id"]))


async def update_video_provider(request: web.Request) -> web.Response:
    changes = await read_command(request, ProviderChanges)
    command = UpdateProvider(provider_id=request.match_info["provider_id"], changes=changes)
    return respond(request, await use_cases(request).update_video_provider()(command))


async def delete_video_provider(request: web.Request) -> web.Response:
    command = DeleteProvider(provider_id=request.match_info["provider_id"])
    return respond(request, await use_cases(request).delete_video_provider()(command))


BASE = "/api/v1/video-providers"
ONE = BASE + "/{provider_id}"
OPERATIONS = [
    Operation("POST", BASE, register_video_provider,
              "Register a video provider (a /v1/videos engine); its key is sealed, never shown again", "video-providers",
              status=201, body=RegisterProvider, response=ProviderView, creates="provider_id", role=Role.ADMIN),
    Operation("GET", BASE, list_video_providers, "List video providers, oldest first (keys: `key_set`, `key_last4`)",
              "video-providers", response=list[ProviderView], role=Role.VIEWER),
    Operation("GET", ONE, get_video_provider, "Get a video provider", "video-providers", response=ProviderView,
              role=Role.VIEWER),
    Operation("PUT", ONE, update_video_provider,
              "Rename, re-key (`\"\"` removes the key), move, resize or enable/disable a provider", "video-providers",
              body=ProviderChanges, response=ProviderView, errors=(409,), role=Role.ADMIN),
    Operation("DELETE", ONE, delete_video_provider, "Unregister a provider (its jobs are cancelled first)",
              "video-providers", response=ProviderDeleted, errors=(409,), role=Role.ADMIN),
]
