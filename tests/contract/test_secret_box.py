"""The SecretBox port: the fake and Fernet seal and open alike, store nothing readable, and refuse what they did
not seal; Fernet's generated key file is 0600, shared by the boxes of one DATA_DIR, and SECRETS_KEY rotates."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from adapters.fakes.secret_box import ReversingSecretBox
from adapters.secrets.fernet_box import FernetSecretBox
from application.ports.secret_box import SecretUnreadable

SECRET = "sk-provider-0123456789abcdef"


@pytest.fixture(params=["fake", "fernet-generated", "fernet-secrets-key"])
def box(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "fake":
        return ReversingSecretBox()
    if request.param == "fernet-generated":
        return FernetSecretBox(data_dir=tmp_path / "data")
    return FernetSecretBox(secrets_key=Fernet.generate_key().decode(), data_dir=tmp_path / "unused")


def test_a_sealed_secret_opens_again_and_is_not_stored_as_written(box):
    token = box.seal(SECRET)
    assert SECRET not in token and SECRET[::-1] not in token
    assert box.open(token) == SECRET
    assert box.open(box.seal("é ✓")) == "é ✓"


def test_a_token_the_box_did_not_seal_is_unreadable_and_the_error_tells_nothing(box):
    for token in ("garbage", FernetSecretBox(secrets_key=Fernet.generate_key().decode()).seal(SECRET)):
        with pytest.raises(SecretUnreadable) as refused:
            box.open(token)
        assert SECRET not in str(refused.value) and token not in str(refused.value)


def test_the_generated_key_is_private_and_shared_by_every_box_of_the_data_dir(tmp_path: Path):
    first, second = FernetSecretBox(data_dir=tmp_path), FernetSecretBox(data_dir=tmp_path)
    token = first.seal(SECRET)
    assert second.open(token) == SECRET
    key_file = tmp_path / "secrets.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.key"], "no staging file is left behind"
    with pytest.raises(SecretUnreadable):
        FernetSecretBox(data_dir=tmp_path / "other").open(token)


def test_several_secrets_keys_rotate_the_first_seals_any_opens(tmp_path: Path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_before = FernetSecretBox(secrets_key=old).seal(SECRET)
    rotated = FernetSecretBox(secrets_key=f"{new},{old}")
    assert rotated.open(sealed_before) == SECRET
    assert FernetSecretBox(secrets_key=new).open(rotated.seal(SECRET)) == SECRET
    assert not (tmp_path / "secrets.key").exists()
