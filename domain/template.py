"""A prompt template: prompts with {variables} filled in per clip."""

from datetime import datetime

from attrs import field, frozen

from domain.validation import bounded_text, optional_text


@frozen
class Template:
    id: str
    name: str = field(validator=bounded_text(200))
    created_at: datetime
    updated_at: datetime
    description: str | None = field(default=None, validator=optional_text(5000))
    image_prompt: str = field(default="", validator=bounded_text(10000, allow_empty=True))
    video_prompt: str = field(default="", validator=bounded_text(10000, allow_empty=True))
    negative_prompt: str = field(default="", validator=bounded_text(10000, allow_empty=True))
    style: str = field(default="", validator=bounded_text(2000, allow_empty=True))
    project_id: str | None = None
    version: int = 1
