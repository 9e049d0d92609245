"""The song analyses in `music_analyses` (one document per project, `_id` = project id)."""

from typing import Any

from attrs import define, field
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.bson import BsonConverter, make_converter
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from domain.music import AnalysisStatus, MusicAnalysis


def make_analysis_converter() -> BsonConverter:
    converter = make_converter()
    rename = override(rename="_id")
    converter.register_unstructure_hook(
        MusicAnalysis, make_dict_unstructure_fn(MusicAnalysis, converter, project_id=rename))
    converter.register_structure_hook(
        MusicAnalysis, make_dict_structure_fn(MusicAnalysis, converter, project_id=rename))
    return converter


@define
class MongoMusicAnalysisStore:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter = field(factory=make_analysis_converter)

    @property
    def _analyses(self):  # type: ignore[no-untyped-def]
        return self.database["music_analyses"]

    def _load(self, document: dict[str, Any]) -> MusicAnalysis:
        return self.converter.structure(document, MusicAnalysis)

    async def put(self, analysis: MusicAnalysis) -> None:
        await self._analyses.replace_one({"_id": analysis.project_id}, self.converter.unstructure(analysis),
                                         upsert=True)

    async def finish(self, analysis: MusicAnalysis) -> bool:
        still_pending = {"_id": analysis.project_id, "music_key": analysis.music_key,
                         "status": AnalysisStatus.PENDING.value}
        result = await self._analyses.replace_one(still_pending, self.converter.unstructure(analysis))
        return result.matched_count == 1

    async def get(self, project_id: str) -> MusicAnalysis | None:
        document = await self._analyses.find_one({"_id": project_id})
        return None if document is None else self._load(document)

    async def pending(self) -> list[MusicAnalysis]:
        cursor = self._analyses.find({"status": AnalysisStatus.PENDING.value}).sort("requested_at", ASCENDING)
        return [self._load(document) for document in await cursor.to_list()]

    async def delete(self, project_id: str) -> None:
        await self._analyses.delete_one({"_id": project_id})
