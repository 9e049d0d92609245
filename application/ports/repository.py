"""Port: a repository per entity, with version-guarded writes and named finders (no query language crosses it)."""

from collections.abc import Sequence
from typing import Protocol, TypeVar

from domain.character import Character
from domain.clip import Clip
from domain.comfyui_server import ComfyUIServer
from domain.project import Project
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow
from domain.video_provider import VideoProvider

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Listing(Protocol[T_co]):
    """A named query in a fixed order, read a page at a time."""

    async def items(self, *, skip: int = 0, limit: int | None = None) -> Sequence[T_co]: ...

    async def total(self) -> int: ...


class Repository(Protocol[T]):
    """Entities are attrs classes with `id` and `version`."""

    async def get(self, entity_id: str) -> T | None: ...

    async def add(self, entity: T) -> None: ...

    async def add_all(self, entities: Sequence[T]) -> None: ...

    async def update(self, entity: T) -> T:
        """Store `entity` if the stored version equals its version; return it with version+1.

        Raises application.errors.Conflict when the entity changed (or vanished) meanwhile.
        """
        ...

    async def update_all(self, entities: Sequence[T]) -> list[T]: ...

    async def delete(self, entity_id: str) -> bool: ...

    async def delete_all(self, entity_ids: Sequence[str]) -> int: ...


class ProjectRepository(Repository[Project], Protocol):
    def listed(self) -> Listing[Project]:
        """Newest first."""
        ...


class SceneRepository(Repository[Scene], Protocol):
    async def of_project(self, project_id: str) -> list[Scene]:
        """Main scenes and alternates, by order then alternate number."""
        ...

    async def alternates_of(self, parent_id: str) -> list[Scene]:
        """By alternate number."""
        ...

    async def delete_of_project(self, project_id: str) -> int: ...


class ClipRepository(Repository[Clip], Protocol):
    """Lists are by timeline position, then alternate number."""

    async def of_scene(self, scene_id: str) -> list[Clip]: ...

    async def of_scenes(self, scene_ids: Sequence[str]) -> list[Clip]: ...

    async def main_of_scene(self, scene_id: str) -> list[Clip]:
        """The scene's clips that are no alternate."""
        ...

    async def alternates_of(self, parent_id: str) -> list[Clip]: ...

    async def of_project(self, project_id: str) -> list[Clip]: ...

    async def using_character(self, character_id: str) -> list[Clip]: ...

    async def delete_of_scenes(self, scene_ids: Sequence[str]) -> int: ...

    async def delete_of_project(self, project_id: str) -> int: ...


class CharacterRepository(Repository[Character], Protocol):
    """Lists are by name."""

    async def all(self) -> list[Character]: ...

    async def of_project(self, project_id: str) -> list[Character]: ...

    def listed(self, project_id: str | None = None) -> Listing[Character]:
        """All characters, or those of one project."""
        ...

    async def delete_of_project(self, project_id: str) -> int: ...


class TemplateRepository(Repository[Template], Protocol):
    """Lists are by name."""

    async def of_project(self, project_id: str) -> list[Template]: ...

    def listed(self, project_id: str | None = None) -> Listing[Template]:
        """All templates, or those of one project."""
        ...

    async def delete_of_project(self, project_id: str) -> int: ...


class ComfyUIServerRepository(Repository[ComfyUIServer], Protocol):
    """Read with observations attached; writes keep the configuration. Lists are by name."""

    async def all(self) -> list[ComfyUIServer]: ...

    async def with_url(self, url: str) -> list[ComfyUIServer]: ...


class WorkflowRepository(Repository[UserWorkflow], Protocol):
    """Lists are by name."""

    async def all(self) -> list[UserWorkflow]: ...

    def listed(self) -> Listing[UserWorkflow]: ...


class VideoProviderRepository(Repository[VideoProvider], Protocol):
    """API keys sealed. Lists are oldest first."""

    async def all(self) -> list[VideoProvider]: ...
