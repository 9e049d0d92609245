"""What schemathesis needs and cannot make itself, made through the API before its run, and handed to it as config.

A ComfyUI simulator registered (at two addresses), a project with scenes, characters, templates and clips, generated
takes, finished jobs (one with its preview), a batch, user workflows, a video provider job, uploaded images and music:
operations with no route that creates their data (takes, files) or with a body no generator gets right (a workflow
that fits the server's node catalog, a model the server has) reach the API's logic with these ids.

`config_text` writes them as schemathesis `[parameters]`, per operation (by operationId): every path id the
operation takes, and the body and query ids of the table below. What one operation changes, no other relies on:
an update edits a copy of its own, and a DELETE draws its victim from a dictionary of its own (so that no negative
case, whose bad id a fixed value would replace, spends it), and its coverage cases take no id seen in responses
(those are the shared ones). Ids in bodies come from dictionaries too: schemathesis draws them in every phase that
generates bodies, stateful sequences included.
"""

import asyncio
import io
import json
from typing import Any

import aiohttp

from domain.node_catalog import EXAMPLE_WORKFLOW
from domain.workflow import EXAMPLE_INPUTS
from tests.media_samples import image, wav
from tests.music_samples import encoded, synth_song

API = "/api/v1"
FINAL = ("completed", "failed", "cancelled")
COPIES = 3  # victims of each kind that is cheap to make
EDITABLE = ("project", "scene", "clip", "character", "template", "workflow", "provider", "webhook")
IMAGE_JOB = {"kind": "image", "model": "sdxl", "params": {"steps": 2, "width": 512, "height": 512}}
WORKFLOW_BODY = {"body.workflow": EXAMPLE_WORKFLOW, "body.output_node": "3", "body.inputs": EXAMPLE_INPUTS}
PATH_IDS = {"project_id": "project", "scene_id": "scene", "clip_id": "clip", "character_id": "character",
            "template_id": "template", "workflow_id": "workflow", "server_id": "server", "provider_id": "provider",
            "job_id": "job", "batch_id": "batch", "content_id": "take", "webhook_id": "webhook"}
VICTIMS = {  # operationId -> (path parameter, kind of the victims in the `doomed` dictionaries)
    "delete_project": ("project_id", "project"), "delete_scene": ("scene_id", "scene"),
    "delete_clip": ("clip_id", "clip"), "delete_character": ("character_id", "character"),
    "delete_template": ("template_id", "template"), "delete_workflow": ("workflow_id", "workflow"),
    "delete_server": ("server_id", "server"), "delete_video_provider": ("provider_id", "provider"),
    "delete_take": ("content_id", "take"), "delete_project_image": ("name", "project_image"),
    "delete_shared_image": ("name", "shared_image"), "delete_webhook": ("webhook_id", "webhook"),
}
EDITORS = {  # operationId -> the kind whose copy it changes (a server is moved or disabled on its second address)
    "update_project": "project", "update_scene": "scene", "update_clip": "clip", "move_clip": "clip",
    "update_character": "character", "update_template": "template", "update_workflow": "workflow",
    "update_video_provider": "provider", "update_server": "server", "update_webhook": "webhook",
}


class Api:
    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        async with self.session.request(method, API + path, **kwargs) as response:
            body = await response.json()
            assert response.status == status, f"{method} {path}: {response.status} {body}"
            return body

    async def create(self, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        return await self.call("POST", path, status, json=body)

    async def upload(self, path: str, data: bytes, file_name: str, status: int = 201) -> dict[str, Any]:
        form = aiohttp.FormData()
        form.add_field("file", io.BytesIO(data), filename=file_name)  # a song is large: not raw bytes
        return await self.call("POST", path, status, data=form)

    async def finished(self, job_id: str, *, timeout: float = 60) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while (job := await self.call("GET", f"/queue/jobs/{job_id}"))["status"] not in FINAL:
                await asyncio.sleep(0.1)
        return job


class Seeded:
    """Ids by kind: `ids["scene"]` is the one the operations use, `edited["scene"]` the one updates change,
    `doomed["scene"]` the victims of DELETE."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.edited: dict[str, str] = {}
        self.doomed: dict[str, list[str]] = {}
        self.addresses: dict[str, list[str]] = {}  # URLs in reach of the server (it may contact loopback only)
        self.pools: dict[str, list[str]] = {}  # dictionaries drawn from as a whole (one use each, mostly)

    def add(self, kind: str, first: str, *others: str) -> None:
        self.ids[kind] = first
        victims = list(others)
        if kind in EDITABLE:
            self.edited[kind] = victims.pop(0)
        if victims:
            self.doomed[kind] = victims
        if kind == "server":
            self.edited[kind] = victims[0]


async def seed(base_url: str, comfyui_port: int, unreachable_port: int,
               headers: dict[str, str] | None = None) -> tuple[Seeded, dict[str, Any]]:
    """The data made, and the API document (whose operations the parameters are for)."""
    seeded = Seeded()
    async with aiohttp.ClientSession(base_url, headers=headers) as session:
        api = Api(session)
        await _board(api, seeded)
        await _servers(api, seeded, comfyui_port)
        await _media(api, seeded)
        await _generated(api, seeded, unreachable_port)
        await _webhooks(api, seeded, unreachable_port)
        await _music(api, seeded)
        document = await api.call("GET", "/openapi.json")
    nowhere = f"http://127.0.0.1:{unreachable_port}"
    seeded.addresses = {"video_preset": ["ltxv-t2v", "ltxv-i2v"], "loopback_server": [nowhere], "loopback_provider": [f"{nowhere}/v1"],
                        "loopback_webhook": [f"{nowhere}/hooks"]}
    return seeded, document


async def _many(make: Any, count: int = 2 + COPIES) -> list[str]:
    return [(await make(i))["id"] for i in range(count)]


async def _board(api: Api, seeded: Seeded) -> None:
    seeded.add("project", *await _many(lambda i: api.create("/projects", {"name": f"Seeded {i}"})))
    project = seeded.ids["project"]
    for kind, path, body in (("scene", "/scenes", {}), ("character", "/characters", {}),
                             ("template", "/templates", {"image_prompt": "a portrait"})):
        seeded.add(kind, *await _many(lambda i: api.create(path, {"project_id": project, "name": f"{kind} {i}",
                                                                  **body})))
    clip = {"scene_id": seeded.ids["scene"], "length": 2, "image_prompt": "a lighthouse",
            "character_id": seeded.ids["character"]}
    seeded.add("clip", *await _many(lambda i: api.create("/clips", {"name": f"Clip {i}", **clip})))
    seeded.add("spare_project", (await api.create("/projects", {"name": "Seeded, without jobs"}))["id"])


async def _servers(api: Api, seeded: Seeded, port: int) -> None:
    """The simulator under two addresses (one to unregister); workflows checked against its node catalog."""
    seeded.add("server", *[(await api.create("/comfyui/servers", {"name": host, "url": f"http://{host}:{port}"}))["id"]
                           for host in ("127.0.0.1", "localhost")])
    workflow = {"workflow": EXAMPLE_WORKFLOW, "output_node": "3", "server_id": seeded.ids["server"]}
    seeded.add("workflow", *await _many(lambda i: api.create("/generation/workflows", {"name": f"W{i}", **workflow})))


async def _media(api: Api, seeded: Seeded) -> None:
    """Images, shared and the project's, by their (folder, name); the project's music."""
    project = seeded.ids["project"]
    for kind, query in (("shared_image", ""), ("project_image", f"?project_id={project}")):
        keys = [(await api.upload(f"/media/images{query}", image("PNG"), f"{i}.png"))["key"] for i in range(4)]
        seeded.add(kind, *[key.rsplit("/", 2)[-1] for key in keys])
        seeded.add(f"{kind}_folder", keys[0].rsplit("/", 2)[-2])
    await api.upload(f"/media/projects/{project}/upload-music", wav(), "song.wav", status=200)


async def _generated(api: Api, seeded: Seeded, unreachable_port: int) -> None:
    """Takes of the clip (a finished job each), a batch, and a provider job (its provider answers nowhere)."""
    clip = seeded.ids["clip"]
    jobs = [await api.create("/generation", {"clip_id": clip, **IMAGE_JOB}, status=202) for _ in range(3)]
    for job in jobs:
        assert (await api.finished(job["id"]))["status"] == "completed", job
    seeded.add("job", jobs[0]["id"])
    seeded.add("previewed_job", await _previewed(api, clip, [job["id"] for job in jobs[1:]]))
    seeded.add("take", *[take["id"] for take in (await api.call("GET", f"/clips/{clip}"))["generated_images"]])
    batch = await api.create("/generation/batch", {"scene_id": seeded.ids["scene"], **IMAGE_JOB}, status=202)
    seeded.add("batch", batch["batch_id"])
    nowhere = {"base_url": f"http://127.0.0.1:{unreachable_port}/v1", "api_key": "sk-seeded"}
    seeded.add("provider", *await _many(lambda i: api.create("/video-providers", {"name": f"P{i}", **nowhere})))
    video = {"clip_id": clip, "provider_id": seeded.ids["provider"]}
    seeded.add("provider_job", (await api.create("/openai/generate", video, status=202))["id"])


async def _previewed(api: Api, clip: str, finished: list[str]) -> str:
    """A finished job that kept a live preview (not the first, which retry_job may run again meanwhile): previews
    come while a job samples, at most once a second, so a quick job may have none; longer ones are made."""
    longer = {**IMAGE_JOB, "params": {**IMAGE_JOB["params"], "steps": 30}}
    for _ in range(3):
        for job_id in finished:
            async with api.session.get(f"{API}/queue/jobs/{job_id}/preview") as response:
                if response.status == 200:
                    return job_id
        job = await api.create("/generation", {"clip_id": clip, **longer}, status=202)
        assert (await api.finished(job["id"]))["status"] == "completed", job
        finished = [job["id"]]
    raise AssertionError("no job kept a preview")


async def _webhooks(api: Api, seeded: Seeded, unreachable_port: int) -> None:
    """Webhooks to a loopback port where nothing answers (issue 14)."""
    url = f"http://127.0.0.1:{unreachable_port}/hooks"
    seeded.add("webhook", *await _many(lambda i: api.create("/webhooks", {"url": url, "description": f"hook {i}"})))
    batch = await api.create("/generation/batch", {"scene_id": seeded.ids["scene"], **IMAGE_JOB}, status=202)
    seeded.add("cancelled_batch", batch["batch_id"])  # the scope POST /queue/cancel ends


async def _music(api: Api, seeded: Seeded) -> None:
    """A project of its own whose song has a beat (issue 13): its scene snaps; a project per lyrics import."""
    project = (await api.create("/projects", {"name": "Seeded, on the beat"}))["id"]
    await api.upload(f"/media/projects/{project}/upload-music", encoded(synth_song(120, seconds=12)), "beat.wav",
                     status=200)
    scene = (await api.create("/scenes", {"project_id": project, "name": "On the beat"}))["id"]
    await api.create("/clips", {"scene_id": scene, "name": "Off the beat", "length": 1.3, "timeline_position": 0.2})
    seeded.add("beat_scene", scene)
    # A song's lyrics lay out a board once: imported again, their times fall before its end (409).
    seeded.pools["lyrics_project"] = await _many(lambda i: api.create("/projects", {"name": f"Lyrics {i}"}), 40)
    deadline = asyncio.get_running_loop().time() + 120
    while (await api.call("GET", f"/projects/{project}/music/analysis"))["status"] == "pending":
        assert asyncio.get_running_loop().time() < deadline, "the seeded song was not analysed in 2 minutes"
        await asyncio.sleep(0.5)


OWN_WEBHOOK = {"body.webhook_url": {"dictionary": "loopback_webhook", "probability": 0.75}}  # a job's own (issue 14)


def _bodies(ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Ids in bodies (a dictionary of the kind's one id) and queries, and paths that name no id, by operationId."""

    def seeded(**fields: str) -> dict[str, Any]:
        return {f"body.{field}": {"dictionary": kind} for field, kind in fields.items()}

    return {
        "create_scene": seeded(project_id="project"),
        "create_character": seeded(project_id="project"),
        "create_template": seeded(project_id="project"),
        "create_clip": seeded(scene_id="scene", character_id="character"),
        "update_clip": seeded(character_id="character"),
        "move_clip": seeded(scene_id="scene"),
        "render_template": seeded(character_id="character", clip_id="clip"),
        "generate_clip": seeded(clip_id="clip", template_id="template") | OWN_WEBHOOK,
        "enqueue_job": seeded(clip_id="clip", template_id="template") | OWN_WEBHOOK,
        # One source of the three (the list's ids from the dictionary), and a workflow for the model: its sizes are
        # the document's (a preset's own, which the document cannot state beside the one-source rule, are not).
        "generate_batch": seeded(model="workflow", template_id="template")
        | {"body.clip_ids[*]": {"dictionary": "clip"}} | OWN_WEBHOOK,
        # issue 13: a scene whose song has beats, and a video preset to fit lengths to (else a 400 naming it)
        "snap_scene": {"path.scene_id": ids["beat_scene"], "body.fit_model": {"dictionary": "video_preset"}},
        "import_lyrics": {"path.project_id": {"dictionary": "lyrics_project"}},
        "generate_provider_video": seeded(clip_id="clip", provider_id="provider"),
        # Mostly an address the server (which may contact loopback only) is allowed to: a port where nothing
        # answers (502); else anything the document allows (an address elsewhere is refused: 400).
        "register_server": {"body.url": {"dictionary": "loopback_server", "probability": 0.75}},
        "update_server": {"body.url": {"dictionary": "loopback_server", "probability": 0.75}},
        "register_video_provider": {"body.base_url": {"dictionary": "loopback_provider", "probability": 0.75}},
        "update_video_provider": {"body.base_url": {"dictionary": "loopback_provider", "probability": 0.75}},
        # issue 14: receivers in reach (nothing answers there: deliveries are retried, never a failure of the API)
        "cancel_scope": {"body.batch_id": {"dictionary": "cancelled_batch"}},
        "create_webhook": {"body.url": {"dictionary": "loopback_webhook", "probability": 0.75}},
        "update_webhook": {"body.url": {"dictionary": "loopback_webhook", "probability": 0.75}},
        "register_workflow": WORKFLOW_BODY | seeded(server_id="server"),
        "update_workflow": WORKFLOW_BODY | seeded(server_id="server"),
        "provider_job": {"path.job_id": ids["provider_job"]},
        "job_preview": {"path.job_id": ids["previewed_job"]},
        "upload_image": {"query.project_id": ids["project"]},
        "clear_finished": {"query.project_id": ids["spare_project"]},
        "project_file": {"path.folder": ids["project_image_folder"], "path.name": ids["project_image"]},
        "shared_file": {"path.folder": ids["shared_image_folder"], "path.name": ids["shared_image"]},
    }


def parameters(seeded: Seeded, document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Parameters by operationId: the seeded id of each path parameter (an update's copy, a DELETE's victims),
    and the table's."""
    bodies = _bodies(seeded.ids)
    result = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            operation_id = operation["operationId"]
            names = [p["name"] for p in operation.get("parameters", ()) if p["in"] == "path"]
            chosen: dict[str, Any] = {f"path.{name}": seeded.ids[PATH_IDS[name]] for name in names if name in PATH_IDS}
            if operation_id in EDITORS:
                kind = EDITORS[operation_id]
                chosen[f"path.{kind}_id"] = seeded.edited[kind]
            if operation_id in VICTIMS:
                name, kind = VICTIMS[operation_id]
                chosen[f"path.{name}"] = {"dictionary": f"doomed_{kind}"}
            chosen |= bodies.get(operation_id, {})
            if chosen:
                result[operation_id] = chosen
    return result


def config_text(base: str, seeded: Seeded, document: dict[str, Any]) -> str:
    """`base` (schemathesis.toml) with the seeded ids: one `[[operations]]` each, and the dictionaries they name."""
    lines = [base.rstrip(), "", "# Seeded by tests/e2e/schemathesis_data.py"]
    named = set()
    for operation_id, chosen in parameters(seeded, document).items():
        lines += ["", "[[operations]]", f"include-operation-id = {_toml(operation_id)}",
                  f"parameters = {_toml(chosen)}"]
        if operation_id in VICTIMS:  # ids seen in responses are the shared ones: never a DELETE's
            lines.append("phases.coverage.extra-data-sources.responses = false")
        named |= {value["dictionary"] for value in chosen.values() if isinstance(value, dict) and "dictionary" in value}
    values = {f"doomed_{kind}": victims for kind, victims in seeded.doomed.items()}
    values |= {kind: [first] for kind, first in seeded.ids.items()} | seeded.addresses | seeded.pools
    for name in sorted(named):
        lines += ["", f"[dictionaries.{name}]", f"values = {_toml(values[name])}"]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    """A TOML inline value: JSON's strings, numbers and arrays are TOML's; objects become inline tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml(str(key))} = {_toml(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)
