"""What a bundle must hold before anything of it is imported: one project's entities, consistently linked."""

from collections import Counter

from application.ports.bundle_archive import InvalidBundle, ProjectBundle
from domain.clip import ensure_no_overlap
from domain.errors import RuleViolation


def check_bundle(bundle: ProjectBundle) -> None:
    """Raise InvalidBundle naming the first broken rule: foreign entities, duplicate ids, dangling links, overlaps."""
    project_id = bundle.project.id
    entities = [*bundle.scenes, *bundle.clips, *bundle.characters, *bundle.templates]
    if any(entity.project_id != project_id for entity in entities):
        raise InvalidBundle("the bundle mixes entities of several projects")
    duplicated = [i for i, n in Counter(e.id for e in [bundle.project, *entities]).items() if n > 1]
    if duplicated:
        raise InvalidBundle(f"the bundle holds id '{duplicated[0]}' twice")
    _check_links(bundle)
    orders = sorted(scene.order for scene in bundle.scenes if not scene.is_alternate)
    if orders != list(range(len(orders))):
        raise InvalidBundle("the scenes' order has gaps or repeats")
    for clip in bundle.clips:
        try:
            ensure_no_overlap(clip, list(bundle.clips))
        except RuleViolation as exc:
            raise InvalidBundle(str(exc)) from exc


def _check_links(bundle: ProjectBundle) -> None:
    scenes, clips = {s.id for s in bundle.scenes}, {c.id for c in bundle.clips}
    if any(s.parent_scene_id is not None and s.parent_scene_id not in scenes for s in bundle.scenes):
        raise InvalidBundle("an alternate scene names a parent the bundle lacks")
    for clip in bundle.clips:
        if clip.scene_id not in scenes or (clip.parent_clip_id is not None and clip.parent_clip_id not in clips):
            raise InvalidBundle(f"clip '{clip.id}' names a scene or parent the bundle lacks")
