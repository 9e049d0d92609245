"""A model preset: a ComfyUI workflow template with its binding, defaults and legal sizes/frames."""

from attrs import frozen

from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.workflow import Workflow, WorkflowBinding


@frozen
class GenerationDefaults:
    width: int
    height: int
    steps: int | None = None
    cfg: float | None = None
    sampler: str | None = None
    scheduler: str | None = None
    frames: int | None = None
    fps: float | None = None
    negative_prompt: str = ""


@frozen
class ModelPreset:
    id: str
    name: str
    kind: ContentKind
    family: str
    description: str
    workflow: Workflow
    binding: WorkflowBinding
    defaults: GenerationDefaults
    size_rule: SizeRule
    models: tuple[str, ...]
    frame_rule: FrameRule | None = None
