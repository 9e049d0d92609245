"""Prompt composition: template variables and character trigger words."""

import re
from collections.abc import Mapping

from attrs import frozen

from domain.character import Character
from domain.clip import Clip
from domain.template import Template

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@frozen
class RenderedPrompts:
    image_prompt: str
    video_prompt: str
    negative_prompt: str
    missing: tuple[str, ...]


def render(text: str, variables: Mapping[str, str]) -> tuple[str, set[str]]:
    """Fill `{name}` placeholders; `{{` and `}}` are literal braces; unknown names stay as written."""
    missing: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name in variables:
            return variables[name]
        missing.add(name)
        return match.group(0)

    return _TOKEN.sub(replace, text), missing


def with_trigger_words(prompt: str, character: Character | None) -> str:
    """Prefix the character's trigger words that the prompt does not already hold."""
    if character is None:
        return prompt
    absent = [word for word in character.trigger_words if word.lower() not in prompt.lower()]
    return ", ".join([*absent, prompt]) if absent and prompt else ", ".join(absent) or prompt


def clip_variables(clip: Clip | None, character: Character | None, template: Template) -> dict[str, str]:
    """The variables a clip offers to a template."""
    variables = {"style": template.style}
    if character is not None:
        variables |= {
            "character": character.name,
            "trigger_words": ", ".join(character.trigger_words),
            "character_description": character.description,
        }
    if clip is not None:
        variables |= {
            "lyrics": clip.lyrics or "",
            "clip_name": clip.name,
            "image_prompt": clip.image_prompt,
            "video_prompt": clip.video_prompt,
        }
    return variables


def render_template(
    template: Template, variables: Mapping[str, str], character: Character | None = None
) -> RenderedPrompts:
    image, missing_image = render(template.image_prompt, variables)
    video, missing_video = render(template.video_prompt, variables)
    negative, missing_negative = render(template.negative_prompt, variables)
    return RenderedPrompts(
        image_prompt=with_trigger_words(image, character),
        video_prompt=with_trigger_words(video, character),
        negative_prompt=negative,
        missing=tuple(sorted(missing_image | missing_video | missing_negative)),
    )
