"""A workflow of the user's own (ComfyUI "Export (API)"), with where generation parameters go."""

from datetime import datetime

from attrs import field, frozen

from domain.generated_content import ContentKind
from domain.validation import bounded_text
from domain.workflow import Workflow, WorkflowBinding


@frozen
class UserWorkflow:
    id: str
    name: str = field(validator=bounded_text(200))
    kind: ContentKind
    workflow: Workflow
    binding: WorkflowBinding
    created_at: datetime
    updated_at: datetime
    checked_on_server: str | None = None
    version: int = 1

    @property
    def name_key(self) -> str:
        """Names are unique among the user's workflows, compared without case and surrounding spaces."""
        return name_key(self.name)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
