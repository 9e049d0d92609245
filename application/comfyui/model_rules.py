"""A server's model rules may name only what exists: a built-in preset, a registered workflow, or a model kind."""

from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ModelRules
from domain.errors import InvalidValue
from domain.generated_content import ContentKind


async def ensure_rules_known(uow: UnitOfWork, presets: ModelPresetCatalog, rules: ModelRules) -> None:
    """Raise InvalidValue (400) naming the unknown entries and what is known; call inside an open unit of work."""
    known = {preset.id for preset in presets.all()} | {kind.value for kind in ContentKind}
    unknown = [name for name in rules.names if name not in known and await uow.workflows.get(name) is None]
    if unknown:
        kinds = ", ".join(kind.value for kind in ContentKind)
        raise InvalidValue("rules", f"{', '.join(unknown)} names no preset, workflow or kind; presets: "
                                    f"{', '.join(sorted(p.id for p in presets.all()))}; kinds: {kinds}; "
                                    "or a registered workflow's id")
