from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.character import Character
from domain.prompts import render, render_template, with_trigger_words
from domain.template import Template

NOW = datetime(2026, 1, 1, tzinfo=UTC)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


def test_render_fills_known_variables_and_reports_unknown_ones():
    text, missing = render("{character} sings {lyrics} in {place}", {"character": "Ava", "lyrics": "la"})
    assert text == "Ava sings la in {place}"
    assert missing == {"place"}


def test_double_braces_are_literal():
    assert render("{{not_a_var}} {x}", {"x": "1"}) == ("{not_a_var} 1", set())


@given(st.dictionaries(names, st.text(alphabet=st.characters(exclude_characters="{}"), max_size=10), max_size=5))
def test_values_are_inserted_verbatim_and_never_re_rendered(variables):
    text = " ".join("{" + name + "}" for name in variables)
    rendered, missing = render(text, variables)
    assert rendered == " ".join(variables.values())
    assert missing == set()


def test_trigger_words_are_prefixed_once():
    ava = Character(id="c", name="Ava", trigger_words=("ava_v2", "red coat"), created_at=NOW, updated_at=NOW)
    assert with_trigger_words("ava_v2 walking", ava) == "red coat, ava_v2 walking"
    assert with_trigger_words("", ava) == "ava_v2, red coat"
    assert with_trigger_words("x", None) == "x"


def test_template_renders_all_three_prompts_with_the_character():
    template = Template(id="t", name="t", image_prompt="{character}, {style}", video_prompt="{lyrics}",
                        negative_prompt="blurry {nope}", style="noir", created_at=NOW, updated_at=NOW)
    ava = Character(id="c", name="Ava", trigger_words=("ava_v2",), created_at=NOW, updated_at=NOW)
    result = render_template(template, {"character": "Ava", "style": "noir", "lyrics": "hey"}, ava)
    assert result.image_prompt == "ava_v2, Ava, noir"
    assert result.video_prompt == "ava_v2, hey"
    assert result.negative_prompt == "blurry {nope}"
    assert result.missing == ("nope",)
