from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.http.content_disposition import attachment


def test_an_ascii_title_needs_no_extended_parameter():
    assert attachment("Night Drive (v2)", ".edl") == 'attachment; filename="Night Drive (v2).edl"'


@pytest.mark.parametrize(("title", "fallback", "exact"), [
    ("Café – Nuit", "Cafe Nuit.fcpxml", "Café – Nuit.fcpxml"),
    ('../../etc/"passwd"', "etc passwd.fcpxml", 'etc "passwd".fcpxml'),
    ("日本", "storycanvas-export.fcpxml", "日本.fcpxml"),
    ("a\r\nContent-Type: text/html\u202e", "a Content-Type text html.fcpxml", "a Content-Type: text html.fcpxml"),
])
def test_other_titles_get_an_ascii_fallback_and_the_exact_name_in_utf8(title, fallback, exact):
    header = attachment(title, ".fcpxml")
    assert header.startswith(f'attachment; filename="{fallback}"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == exact


@given(st.text())
def test_the_header_is_always_one_safe_line(title):
    header = attachment(title, ".json")
    assert header.isascii() and "\n" not in header and "\r" not in header
    quoted = header.split('"')[1]
    assert "/" not in quoted and "\\" not in quoted and quoted.endswith(".json")
