"""Queue a clip's video on a video provider: model, duration and size chosen now, the video made by the queue."""

from typing import Any

from attrs import define, field, frozen

from application.errors import NotConfigured
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.owner_cap import OwnerCap
from application.video_providers.configure_default import ENVIRONMENT_PROVIDER_ID
from application.video_providers.model_specs import MODEL
from application.video_providers.video_request import REQUEST_NODE, video_workflow
from application.webhooks.job_webhooks import JobWebhookPolicy
from domain.clip import Clip
from domain.errors import RuleViolation
from domain.generated_content import ContentKind
from domain.project import Project
from domain.prompts import with_trigger_words
from domain.queue_job import MAX_RETRIES, QueueJob
from domain.validation import Pattern, optional, rule_of, within
from domain.video_provider import SIZE, VideoProvider
from domain.video_shape import VideoShape, plan_video_shape
from domain.webhook import WEBHOOK_URL

NO_PROVIDER = ("No video provider is configured. Set OPENAI_BASE_URL (the engine serving /v1/videos, e.g. "
               "http://127.0.0.1:8000/v1) and OPENAI_API_KEY if it needs a key, then restart; or register one with "
               "POST /api/v1/video-providers {\"name\", \"base_url\", \"api_key\"}.")


@frozen
class GenerateVideo:
    """`seconds`, `size`: exactly these (a model must allow them); left out, the nearest the model allows to the
    clip's length and the project's aspect ratio. `model`: one the provider serves (default: the first that fits)."""

    clip_id: str
    provider_id: str | None = None  # default: the environment's provider, else the first registered and enabled
    model: str | None = field(default=None, validator=optional(MODEL))
    seconds: int | None = field(default=None, validator=optional(within(1, 60)))
    size: str | None = field(default=None, validator=optional(Pattern(SIZE, "WIDTHxHEIGHT, e.g. 1280x720")))
    priority: int = field(default=0, validator=rule_of(QueueJob, "priority"))
    max_retries: int = field(default=3, validator=MAX_RETRIES)
    webhook_url: str | None = field(default=None, validator=optional(WEBHOOK_URL),  # told when the job ends
                                    metadata={"example": "http://127.0.0.1:9000/hooks"})


@define
class GenerateVideoHandler:
    uow: UnitOfWork
    jobs: JobStore
    clock: Clock
    ids: IdGenerator
    signal: QueueSignal
    webhooks: JobWebhookPolicy = JobWebhookPolicy()  # the same checks as a ComfyUI job's (issue 14)
    cap: OwnerCap = OwnerCap()

    async def __call__(self, cmd: GenerateVideo, *, owner: str | None = None) -> QueueJob:
        """`owner`: the subject of the caller's credential, when authentication is on."""
        self.webhooks.check(cmd.webhook_url)
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            project = await require(self.uow.projects, clip.project_id, "Project")
            provider = await self._provider(cmd.provider_id)
            character = await self.uow.characters.get(clip.character_id) if clip.character_id else None
        shape = plan_video_shape(provider.models, length=clip.length, aspect=project.aspect_ratio, model=cmd.model,
                                 seconds=cmd.seconds, size=cmd.size)
        prompt = with_trigger_words(clip.video_prompt or clip.image_prompt, character)
        if not prompt.strip():
            raise RuleViolation("the clip has no video or image prompt to make a video from")
        job = self._job(cmd, clip, provider, self._params(prompt, shape, clip, project, provider), owner)
        workflow = video_workflow(prompt=prompt, model=shape.model, seconds=shape.seconds, size=shape.size,
                                  input_reference=job.params.get("init_image"))
        await self.cap.check(owner, 1)
        await self.jobs.add_all([job], [workflow])
        self.signal.work_queued()
        return job

    async def _provider(self, provider_id: str | None) -> VideoProvider:
        if provider_id is not None:
            return await require(self.uow.video_providers, provider_id, "Video provider")
        providers = await self.uow.video_providers.all()
        enabled = [p for p in providers if p.enabled]
        default = next((p for p in enabled if p.id == ENVIRONMENT_PROVIDER_ID), None)
        if default is None and not enabled:
            raise NotConfigured(NO_PROVIDER if not providers else "Every video provider is disabled: enable one "
                                "(PUT /api/v1/video-providers/{id} {\"enabled\": true}) or name it in provider_id.")
        return default or enabled[0]

    @staticmethod
    def _params(prompt: str, shape: VideoShape, clip: Clip, project: Project,
                provider: VideoProvider) -> dict[str, Any]:
        """Every value the video is made with, so the take can be reproduced (the remote id joins when it lands)."""
        image = clip.selected(ContentKind.IMAGE)  # image-to-video from the clip's selected image, when it has one
        reference = {"init_image": image.path} if image is not None and image.path is not None else {}
        return {"prompt": prompt, "model": shape.model, "seconds": shape.seconds, "size": shape.size,
                "requested_seconds": clip.length, "aspect_ratio": project.aspect_ratio.value,
                "provider_id": provider.id, "provider_name": provider.name, **reference}

    def _job(self, cmd: GenerateVideo, clip: Clip, provider: VideoProvider, params: dict[str, Any],
             owner: str | None) -> QueueJob:
        now = self.clock.now()
        return QueueJob(id=self.ids.new_id(), project_id=clip.project_id, clip_id=clip.id, kind=ContentKind.VIDEO,
                        model=params["model"], params=params, output_node=REQUEST_NODE, priority=cmd.priority,
                        max_retries=cmd.max_retries, target=provider.target, created_at=now, updated_at=now,
                        owner=owner, webhook_url=cmd.webhook_url)
