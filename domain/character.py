"""A character: reference images, LoRA and trigger words that keep shots consistent."""

from datetime import datetime

from attrs import field, frozen

from domain.validation import bounded_text, optional_text, text_items, within


@frozen
class Character:
    id: str
    name: str = field(validator=bounded_text(200))
    created_at: datetime
    updated_at: datetime
    description: str = field(default="", validator=bounded_text(5000, allow_empty=True))
    reference_images: tuple[str, ...] = field(default=(), validator=text_items(50, 2000))
    lora: str | None = field(default=None, validator=optional_text(500))
    lora_strength: float = field(default=1.0, validator=within(-10.0, 10.0))
    trigger_words: tuple[str, ...] = field(default=(), validator=text_items(50, 200))
    style_notes: str = field(default="", validator=bounded_text(5000, allow_empty=True))
    project_id: str | None = None
    version: int = 1
