import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.media import content_sniffing as types
from adapters.media.content_sniffing import sniff_bytes
from tests.media_samples import encoded_audio, image, m4a_header, mp3_frame_header, wav


@pytest.mark.parametrize(("data", "expected"), [
    (wav(), types.WAV), (encoded_audio("mp3"), types.MP3), (encoded_audio("flac"), types.FLAC),
    (encoded_audio("vorbis"), types.OGG_VORBIS), (encoded_audio("opus"), types.OGG_OPUS),
    (encoded_audio("aiff"), types.AIFF), (m4a_header(), types.M4A), (mp3_frame_header(), types.MP3),
    (image("PNG"), types.PNG), (image("JPEG"), types.JPEG), (image("WEBP"), types.WEBP), (image("GIF"), types.GIF),
], ids=lambda value: value.name if isinstance(value, types.MediaType) else "")
def test_real_files_are_recognised_by_their_bytes(data, expected):
    assert sniff_bytes(data) == expected


def id3(payload: bytes, size: int = 20) -> bytes:
    return b"ID3\x04\x00\x00" + bytes([0, 0, 0, size]) + b"\x00" * size + payload


def test_an_id3_tag_is_skipped_to_the_audio_behind_it():
    assert sniff_bytes(id3(mp3_frame_header())) == types.MP3
    assert sniff_bytes(id3(b"fLaC" + b"\x00" * 40)) == types.FLAC


@pytest.mark.parametrize("data", [
    id3(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), id3(b""), b"ID3\x04\x00\x00\x80\x00\x00\x00",
    b"OggS" + b"\x00" * 22 + b"\x01" + b"\x1e" + b"\x80theora" + b"\x00" * 30,
    b"RIFF\x00\x00\x00\x00AVI LIST", b"\xff\xfb\xf0\x64", b"\xff\xfb\x9c\x64", b"<?xml version='1.0'?><svg/>",
    b"%PDF-1.7", b"MZ\x90\x00", b"", b"\x89PNG\r\n",
], ids=["id3-png", "id3-nothing", "bad-id3-size", "ogg-theora", "avi", "mp3-bad-bitrate", "mp3-bad-rate", "svg",
        "pdf", "exe", "empty", "short-png"])
def test_anything_else_is_unknown(data):
    assert sniff_bytes(data) is None


@given(st.binary(max_size=200))
def test_sniffing_never_fails_on_arbitrary_bytes(data):
    found = sniff_bytes(data)
    assert found is None or found in types.ALL


def test_every_type_has_its_own_extension():
    assert len(types.BY_EXTENSION) == len(types.ALL)
