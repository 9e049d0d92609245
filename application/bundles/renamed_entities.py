"""A bundle's entities under fresh ids, their links (parents, scenes, characters) following."""

from attrs import define, evolve, field

from application.bundles.bundle_files import BundleFiles
from application.ports.bundle_archive import ProjectBundle
from application.ports.id_generator import IdGenerator
from domain.character import Character
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.template import Template


@define
class RenamedEntities:
    bundle: ProjectBundle
    ids: IdGenerator
    project_id: str = field(init=False)
    _new: dict[str, str] = field(init=False, factory=dict)  # old id -> new id

    def __attrs_post_init__(self) -> None:
        self.project_id = self.ids.new_id()
        b = self.bundle
        for entity in [*b.scenes, *b.clips, *b.characters, *b.templates]:
            self._new[entity.id] = self.ids.new_id()

    @property
    def clip_ids(self) -> dict[str, str]:
        return {clip.id: self._new[clip.id] for clip in self.bundle.clips}

    def _of(self, old: str | None) -> str | None:
        return None if old is None else self._new[old]

    def project(self, files: BundleFiles) -> Project:
        music = files.music(self.bundle.project.music)
        return evolve(self.bundle.project, id=self.project_id, music=music,
                      music_file=music.key if music else None, version=1)

    def scenes(self) -> list[Scene]:
        return [evolve(s, id=self._new[s.id], project_id=self.project_id, parent_scene_id=self._of(s.parent_scene_id),
                       version=1) for s in self.bundle.scenes]

    def clips(self, files: BundleFiles, *, shared_characters: set[str]) -> list[Clip]:
        return [self._clip(clip, files, shared_characters) for clip in self.bundle.clips]

    def _clip(self, clip: Clip, files: BundleFiles, shared_characters: set[str]) -> Clip:
        character = clip.character_id
        character = self._new.get(character, character if character in shared_characters else None) \
            if character else None
        images = tuple(files.take(t, take_id=self.ids.new_id()) for t in clip.generated_images)
        videos = tuple(files.take(t, take_id=self.ids.new_id()) for t in clip.generated_videos)
        return evolve(clip, id=self._new[clip.id], project_id=self.project_id, scene_id=self._new[clip.scene_id],
                      parent_clip_id=self._of(clip.parent_clip_id), character_id=character,
                      generated_images=images, generated_videos=videos, version=1)

    def characters(self, files: BundleFiles) -> list[Character]:
        return [evolve(c, id=self._new[c.id], project_id=self.project_id, version=1,
                       reference_images=tuple(files.reference(url) for url in c.reference_images))
                for c in self.bundle.characters]

    def templates(self) -> list[Template]:
        return [evolve(t, id=self._new[t.id], project_id=self.project_id, version=1) for t in self.bundle.templates]
