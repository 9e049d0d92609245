import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.media.media_keys import folder_key, is_key, new_name, sanitize_original_name

PROJECT = "65f1c0ffee0000000000abcd"


@pytest.mark.parametrize(("raw", "kept"), [
    ("song.mp3", "song.mp3"), ("../../etc/passwd", "passwd"), ("/etc/shadow", "shadow"),
    ("C:\\Users\\me\\track.wav", "track.wav"), ("evil\x00.mp3", "evil.mp3"), ("..／..／secret.png", "secret.png"),
    ("photo\u202egnp.exe", "photognp.exe"), ("  spaced\tname\n.flac ", "spacedname.flac"), ("...", None),
    ("", None), (None, None), ("Café – Ünïcode.ogg", "Café – Ünïcode.ogg"),
])
def test_original_names_keep_only_a_harmless_last_part(raw, kept):
    assert sanitize_original_name(raw) == kept


@given(st.text())
def test_a_sanitised_name_never_holds_a_separator_or_a_control_character(raw):
    name = sanitize_original_name(raw)
    assert name is None or ("/" not in name and "\\" not in name and not name.startswith(".")
                            and all(ch.isprintable() for ch in name) and len(name) <= 255)


@pytest.mark.parametrize("key", [
    f"projects/{PROJECT}/music/ab12.mp3", "shared/images/0f.png", f"projects/{PROJECT}/generated/c1-ff.mp4",
])
def test_well_formed_keys_are_accepted(key):
    assert is_key(key)


@pytest.mark.parametrize("key", [
    "../etc/passwd", "/etc/passwd", f"projects/{PROJECT}/music/../../x.mp3", "projects/../music/a.mp3",
    f"projects/{PROJECT}/music/a.mp3\x00.png", "shared/images/ａ.png", "shared\uff0fimages\uff0fa.png",
    "shared/images/\u202egnp.exe", "shared/other/a.png", f"projects/{PROJECT}/music/.hidden.mp3",
    f"projects/{PROJECT}/music", "shared/images/a.PNG", "", ".staging/x.part", "shared/images/a b.png",
])
def test_anything_else_is_no_key(key):
    assert not is_key(key)


@given(st.text(max_size=80))
def test_no_generated_text_with_dots_segments_or_nul_is_a_key(text):
    if ".." in text or "\x00" in text or text.startswith("/"):
        assert not is_key(text)


def test_names_are_generated_and_folders_are_checked():
    name = new_name(".mp3")
    assert is_key(f"shared/music/{name}") and name != new_name(".mp3")
    assert new_name(".mp4", "clip01").startswith("clip01-")
    assert new_name(".mp4", "../x").count("-") == 0
    with pytest.raises(ValueError):
        folder_key("../up", "music")
    with pytest.raises(ValueError):
        folder_key(PROJECT, "tmp")
