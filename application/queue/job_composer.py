"""Composing a queue job from a clip: recipe, prompts (template, character), seed, LoRA, workflow."""

from typing import Any, Protocol

from attrs import define

from application.errors import NotFound
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.seed_source import SeedSource
from application.ports.unit_of_work import UnitOfWork
from domain.character import Character
from domain.clip import Clip
from domain.errors import InvalidValue, RuleViolation
from domain.generated_content import ContentKind
from domain.generation_plan import Lora, Recipe, ShotRequest, plan_generation
from domain.prompts import clip_variables, render_template, with_trigger_words
from domain.queue_job import QueueJob
from domain.recipes import loaded_checkpoint, preset_recipe, workflow_recipe


class GenerationRequest(Protocol):
    model: str
    kind: ContentKind | None
    params: dict[str, Any]
    priority: int
    seed: int | None
    template_id: str | None
    max_retries: int


@define
class JobComposer:
    """Reads through the caller's unit of work, so a batch is composed in one transaction."""

    presets: ModelPresetCatalog
    clock: Clock
    ids: IdGenerator
    seeds: SeedSource

    async def recipe(self, uow: UnitOfWork, model: str) -> tuple[Recipe, tuple[str, ...]]:
        preset = self.presets.get(model)
        if preset is not None:
            return preset_recipe(preset), preset.models
        user_workflow = await uow.workflows.get(model)
        if user_workflow is None:
            raise NotFound("Model preset or workflow", model)
        return workflow_recipe(user_workflow), ()

    async def _prompts(self, uow: UnitOfWork, clip: Clip, kind: ContentKind, character: Character | None,
                       template_id: str | None) -> tuple[str, str | None]:
        """The positive prompt (with trigger words) and, from a template, the negative one."""
        if template_id is None:
            text = clip.image_prompt if kind is ContentKind.IMAGE else clip.video_prompt or clip.image_prompt
            return with_trigger_words(text, character), None
        template = await require(uow.templates, template_id, "Template")
        rendered = render_template(template, clip_variables(clip, character, template), character)
        chosen = rendered.image_prompt if kind is ContentKind.IMAGE else rendered.video_prompt
        return chosen, rendered.negative_prompt or None

    async def compose(self, uow: UnitOfWork, clip: Clip, request: GenerationRequest, *, batch_id: str | None,
                      owner: str | None = None, webhook_url: str | None = None) -> tuple[QueueJob, dict[str, Any]]:
        recipe, models = await self.recipe(uow, request.model)
        kind = request.kind or recipe.kind
        if kind is not recipe.kind:
            raise InvalidValue("kind", f"model '{request.model}' makes {recipe.kind.value}s, not {kind.value}s")
        character = await uow.characters.get(clip.character_id) if clip.character_id else None
        prompt, negative = await self._prompts(uow, clip, kind, character, request.template_id)
        overrides = dict(request.params)
        if negative and "negative_prompt" not in overrides:
            overrides["negative_prompt"] = negative
        loras = (Lora(character.lora, character.lora_strength),) if character and character.lora else ()
        seed = self.seeds.new_seed() if request.seed is None else request.seed
        init_image = _init_image(clip) if "init_image" in recipe.binding.inputs else None
        plan = plan_generation(recipe, ShotRequest(prompt, seed, overrides, clip_length=clip.length,
                                                   init_image=init_image, loras=loras))
        now = self.clock.now()
        job = QueueJob(
            id=self.ids.new_id(), project_id=clip.project_id, clip_id=clip.id, kind=kind, model=request.model,
            params=plan.params, output_node=recipe.binding.output_node, priority=request.priority,
            checkpoint=loaded_checkpoint(plan.workflow, recipe.binding),
            required_models=tuple(sorted({*models, *(lora.name for lora in loras)})),
            max_retries=request.max_retries, batch_id=batch_id, created_at=now, updated_at=now,
            owner=owner, webhook_url=webhook_url,
        )
        return job, plan.workflow


def _init_image(clip: Clip) -> str:
    """Image-to-video starts from the clip's selected image (its storage key; uploaded when the job runs)."""
    selected = clip.selected(ContentKind.IMAGE)
    if selected is None or selected.path is None:
        raise RuleViolation("this model starts from the clip's selected image: generate or select an image first")
    return selected.path
