"""A scene: one slot of the storyboard, ordered within its project."""

from datetime import datetime

from attrs import Factory, evolve, field, frozen

from domain.validation import bounded_text, optional_text, within


@frozen
class Scene:
    id: str
    project_id: str
    name: str = field(validator=bounded_text(200))
    description: str | None = field(validator=optional_text(5000))
    order: int = field(validator=within(0))
    created_at: datetime
    updated_at: datetime
    parent_scene_id: str | None = None
    alternate_number: int = 0
    version: int = 1
    is_alternate: bool = field(
        init=False, default=Factory(lambda scene: scene.parent_scene_id is not None, takes_self=True)
    )

    def edited(self, *, name: str, description: str | None, now: datetime) -> "Scene":
        return evolve(self, name=name, description=description, updated_at=now)
