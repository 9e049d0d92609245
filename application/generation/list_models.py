"""Everything a clip can be generated with: the built-in presets and the users' workflows."""

from attrs import define, frozen

from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.unit_of_work import UnitOfWork
from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.model_preset import GenerationDefaults, ModelPreset
from domain.user_workflow import UserWorkflow


@frozen
class ModelInfo:
    id: str
    name: str
    kind: ContentKind
    source: str  # "preset" | "workflow"
    parameters: tuple[str, ...]  # the generation parameters the workflow takes
    family: str | None = None
    description: str = ""
    defaults: GenerationDefaults | None = None
    sizes: SizeRule | None = None
    frames: FrameRule | None = None
    models: tuple[str, ...] = ()


def preset_info(preset: ModelPreset) -> ModelInfo:
    return ModelInfo(id=preset.id, name=preset.name, kind=preset.kind, source="preset",
                     parameters=tuple(preset.binding.inputs), family=preset.family,
                     description=preset.description, defaults=preset.defaults, sizes=preset.size_rule,
                     frames=preset.frame_rule, models=preset.models)


def workflow_info(workflow: UserWorkflow) -> ModelInfo:
    return ModelInfo(id=workflow.id, name=workflow.name, kind=workflow.kind, source="workflow",
                     parameters=tuple(workflow.binding.inputs))


@define
class ListModels:
    uow: UnitOfWork
    presets: ModelPresetCatalog

    async def __call__(self) -> list[ModelInfo]:
        async with self.uow.reading():
            workflows = await self.uow.workflows.all()
        return [*(preset_info(p) for p in self.presets.all()), *(workflow_info(w) for w in workflows)]
