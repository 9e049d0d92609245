"""Recipes from built-in presets and user workflows."""

from typing import Any

from domain.generation_plan import Recipe
from domain.model_preset import GenerationDefaults, ModelPreset
from domain.user_workflow import UserWorkflow
from domain.workflow import Workflow, WorkflowBinding


def preset_recipe(preset: ModelPreset) -> Recipe:
    return Recipe(preset.id, preset.kind, preset.workflow, preset.binding, preset.defaults,
                  preset.size_rule, preset.frame_rule)


def _current(workflow: Workflow, binding: WorkflowBinding, parameter: str) -> Any:
    targets = binding.inputs.get(parameter, ())
    return workflow[targets[0].node]["inputs"].get(targets[0].name) if targets else None


def workflow_recipe(user_workflow: UserWorkflow) -> Recipe:
    """A user workflow's defaults are the values its bound inputs already hold."""
    workflow, binding = user_workflow.workflow, user_workflow.binding

    def current(parameter: str) -> Any:
        return _current(workflow, binding, parameter)

    defaults = GenerationDefaults(
        width=current("width") or 1024, height=current("height") or 1024, steps=current("steps"),
        cfg=current("cfg"), sampler=current("sampler"), scheduler=current("scheduler"),
        frames=current("frames"), fps=current("fps"), negative_prompt=current("negative_prompt") or "",
    )
    return Recipe(user_workflow.id, user_workflow.kind, workflow, binding, defaults)


def loaded_checkpoint(workflow: Workflow, binding: WorkflowBinding) -> str | None:
    """The model file the workflow loads, if it says (model affinity for scheduling)."""
    value = _current(workflow, binding, "checkpoint")
    return value if isinstance(value, str) else None
