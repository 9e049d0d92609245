"""cattrs converter between entities and BSON documents (`id` is stored as `_id`)."""

from typing import Any, TypeVar

import attrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.bson import BsonConverter, make_converter

from domain.character import Character
from domain.comfyui_server import ComfyUIServer
from domain.clip import Clip
from domain.project import Project
from domain.queue_job import QueueJob
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow
from domain.video_provider import VideoProvider

T = TypeVar("T")
ENTITIES: tuple[type, ...] = (Project, Scene, Clip, Character, Template, ComfyUIServer, UserWorkflow, QueueJob,
                              VideoProvider)
# A server's observations live in their own collection (see server_observations.py), not in its document.
OMITTED: dict[type, dict[str, Any]] = {ComfyUIServer: {"health": override(omit=True), "models": override(omit=True)}}


def make_document_converter() -> BsonConverter:
    converter = make_converter()
    for entity in ENTITIES:
        fields = {"id": override(rename="_id")} | OMITTED.get(entity, {})
        converter.register_unstructure_hook(entity, make_dict_unstructure_fn(entity, converter, **fields))
        converter.register_structure_hook(entity, make_dict_structure_fn(entity, converter, **fields))
    converter.register_unstructure_hook(UserWorkflow, _with_name_key(converter.get_unstructure_hook(UserWorkflow)))
    return converter


def _with_name_key(unstructure: Any) -> Any:
    """A workflow's document also holds its name as compared (`name_key`), which a unique index guards."""
    return lambda workflow: {**unstructure(workflow), "name_key": workflow.name_key}


def field_name(name: str) -> str:
    """The document field of an entity attribute."""
    return "_id" if name == "id" else name


def query(where: dict[str, Any]) -> dict[str, Any]:
    """A Mongo filter for attribute equality; a sequence value means 'any of'."""
    return {
        field_name(name): {"$in": list(value)} if isinstance(value, (list, tuple, set, frozenset)) else value
        for name, value in where.items()
    }


def from_documents(converter: BsonConverter, documents: list[dict[str, Any]], entity: type[T]) -> list[T]:
    """Entities from our own stored documents: validated when written, so not validated again."""
    with attrs.validators.disabled():
        return converter.structure(documents, list[entity])  # type: ignore[valid-type]
