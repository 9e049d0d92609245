"""Any sequence of scene inserts, moves, alternates and deletes keeps the order dense and alternates numbered."""

from collections import defaultdict

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from application.alternates_policy import AlternatesOnDelete
from application.errors import Conflict
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.scenes.create_scene import CreateScene, CreateSceneHandler
from application.scenes.create_scene_alternate import CreateSceneAlternate, CreateSceneAlternateHandler
from application.scenes.delete_scene import DeleteScene, DeleteSceneHandler
from application.scenes.update_scene import SceneChanges, UpdateScene, UpdateSceneHandler
from domain.errors import InvalidValue
from tests.unit.application.fakes import FakeWorld, run

positions = st.one_of(st.none(), st.integers(-3, 30))


class SceneOrdering(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.world = FakeWorld()
        self.project = run(self.world.handler(CreateProjectHandler)(CreateProject(name="song")))

    def scene_ids(self) -> list[str]:
        return [s.id for s in self.world.rows("scenes")]

    @rule(order=positions)
    def insert_scene(self, order):
        if order is not None and order < 0:
            with pytest.raises(InvalidValue):  # the command refuses it: no use case runs
                CreateScene(project_id=self.project.id, name="s", order=order)
            return
        command = CreateScene(project_id=self.project.id, name="s", order=order)
        run(self.world.handler(CreateSceneHandler)(command))

    @precondition(lambda self: self.scene_ids())
    @rule(data=st.data(), order=st.integers(0, 30))
    def move_scene(self, data, order):
        scene_id = data.draw(st.sampled_from(self.scene_ids()))
        is_alternate = self.world.store.tables["scenes"][scene_id].is_alternate
        try:
            run(self.world.handler(UpdateSceneHandler)(UpdateScene(scene_id, SceneChanges(order=order))))
        except Conflict:
            assert is_alternate

    @precondition(lambda self: self.scene_ids())
    @rule(data=st.data())
    def add_alternate(self, data):
        scene_id = data.draw(st.sampled_from(self.scene_ids()))
        run(self.world.handler(CreateSceneAlternateHandler)(CreateSceneAlternate(scene_id=scene_id)))

    @precondition(lambda self: self.scene_ids())
    @rule(data=st.data(), policy=st.sampled_from(AlternatesOnDelete))
    def delete_scene(self, data, policy):
        scene_id = data.draw(st.sampled_from(self.scene_ids()))
        run(self.world.handler(DeleteSceneHandler)(DeleteScene(scene_id=scene_id, alternates=policy)))
        assert scene_id not in self.scene_ids()

    @invariant()
    def main_scenes_are_ordered_zero_to_n_minus_one(self) -> None:
        if not hasattr(self, "world"):
            return
        mains = [s for s in self.world.rows("scenes") if not s.is_alternate]
        assert sorted(s.order for s in mains) == list(range(len(mains)))

    @invariant()
    def alternates_follow_a_live_main_parent_and_are_numbered_one_to_k(self) -> None:
        if not hasattr(self, "world"):
            return
        scenes = {s.id: s for s in self.world.rows("scenes")}
        families = defaultdict(list)
        for scene in scenes.values():
            if scene.is_alternate:
                parent = scenes[scene.parent_scene_id]
                assert not parent.is_alternate
                assert scene.order == parent.order
                families[parent.id].append(scene.alternate_number)
            else:
                assert scene.alternate_number == 0
        for numbers in families.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1))


TestSceneOrdering = SceneOrdering.TestCase
TestSceneOrdering.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
