"""Port: the built-in model presets."""

from typing import Protocol

from domain.model_preset import ModelPreset


class ModelPresetCatalog(Protocol):
    def all(self) -> tuple[ModelPreset, ...]: ...

    def get(self, preset_id: str) -> ModelPreset | None: ...
