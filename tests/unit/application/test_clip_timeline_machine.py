"""Any sequence of clip edits keeps each lane free of overlaps and alternates linked and numbered."""

from collections import defaultdict
from itertools import combinations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from application.alternates_policy import AlternatesOnDelete
from application.clips.create_clip import CreateClip, CreateClipHandler
from application.clips.create_clip_alternate import CreateClipAlternate, CreateClipAlternateHandler
from application.clips.delete_clip import DeleteClip, DeleteClipHandler
from application.clips.move_clip import MoveClip, MoveClipHandler
from application.clips.update_clip import ClipChanges, UpdateClip, UpdateClipHandler
from application.errors import Conflict
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.scenes.create_scene import CreateScene, CreateSceneHandler
from tests.unit.application.fakes import FakeWorld, run

times = st.sampled_from([0.0, 0.5, 1.0, 2.0, 2.5, 4.0, 7.5])
lengths = st.sampled_from([0.5, 1.0, 2.0, 3.0])


class ClipTimeline(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.world = FakeWorld()
        project = run(self.world.handler(CreateProjectHandler)(CreateProject(name="song")))
        create = self.world.handler(CreateSceneHandler)
        self.scenes = [run(create(CreateScene(project_id=project.id, name=n))).id for n in "ab"]

    def clip_ids(self) -> list[str]:
        return list(self.world.store.tables["clips"])

    def attempt(self, handler_class, command) -> None:
        """Conflicts are legal answers; the invariants check nothing broke."""
        try:
            run(self.world.handler(handler_class)(command))
        except Conflict:
            pass

    @rule(scene=st.integers(0, 1), position=st.one_of(st.none(), times), length=lengths)
    def create_clip(self, scene, position, length):
        command = CreateClip(scene_id=self.scenes[scene], name="c", timeline_position=position, length=length)
        self.attempt(CreateClipHandler, command)

    @precondition(lambda self: self.clip_ids())
    @rule(data=st.data())
    def add_alternate(self, data):
        self.attempt(CreateClipAlternateHandler, CreateClipAlternate(clip_id=data.draw(st.sampled_from(self.clip_ids()))))

    @precondition(lambda self: self.clip_ids())
    @rule(data=st.data(), position=times, scene=st.one_of(st.none(), st.integers(0, 1)))
    def move_clip(self, data, position, scene):
        clip_id = data.draw(st.sampled_from(self.clip_ids()))
        target = None if scene is None else self.scenes[scene]
        self.attempt(MoveClipHandler, MoveClip(clip_id=clip_id, timeline_position=position, scene_id=target))

    @precondition(lambda self: self.clip_ids())
    @rule(data=st.data(), length=lengths)
    def change_length(self, data, length):
        clip_id = data.draw(st.sampled_from(self.clip_ids()))
        self.attempt(UpdateClipHandler, UpdateClip(clip_id, ClipChanges(length=length)))

    @precondition(lambda self: self.clip_ids())
    @rule(data=st.data(), policy=st.sampled_from(AlternatesOnDelete))
    def delete_clip(self, data, policy):
        clip_id = data.draw(st.sampled_from(self.clip_ids()))
        before = dict(self.world.store.tables["clips"])
        try:
            run(self.world.handler(DeleteClipHandler)(DeleteClip(clip_id=clip_id, alternates=policy)))
        except Conflict:  # the promoted alternate would overlap a main clip: nothing changes
            assert policy is AlternatesOnDelete.PROMOTE
            assert self.world.store.tables["clips"] == before
            return
        assert clip_id not in self.clip_ids()

    @invariant()
    def main_lane_clips_never_overlap(self) -> None:
        clips = self.world.rows("clips") if hasattr(self, "world") else []
        mains = [c for c in clips if c.alternate_number == 0]
        for first, second in combinations(mains, 2):
            assert first.scene_id != second.scene_id or not first.overlaps(second)

    @invariant()
    def alternates_hang_off_live_main_clips_numbered_one_to_k(self) -> None:
        clips = {c.id: c for c in self.world.rows("clips")} if hasattr(self, "world") else {}
        families = defaultdict(list)
        for clip in clips.values():
            if clip.is_alternate:
                assert not clips[clip.parent_clip_id].is_alternate
                families[clip.parent_clip_id].append(clip.alternate_number)
        for numbers in families.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1))


TestClipTimeline = ClipTimeline.TestCase
TestClipTimeline.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
