"""The SecretBox port over `cryptography`'s Fernet (AES-128-CBC with an HMAC-SHA256, one key per installation).

The key is SECRETS_KEY (one key, or several separated by commas: the first seals, any opens, for rotation), else a
key generated once into DATA_DIR/secrets.key with mode 0600. It is loaded when a secret is first sealed or opened.
"""

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from attrs import define, field
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from application.ports.secret_box import SecretUnreadable

log = logging.getLogger(__name__)
KEY_FILE = "secrets.key"


def generated_key(data_dir: Path) -> bytes:
    """DATA_DIR/secrets.key, created (mode 0600) by the first process that needs it; the others read it."""
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor, staged = tempfile.mkstemp(dir=data_dir, prefix=".secrets-")  # mkstemp makes it 0600
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(Fernet.generate_key() + b"\n")
            with contextlib.suppress(FileExistsError):  # another process won: its key is the one
                os.link(staged, path)
        finally:
            os.unlink(staged)
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users; make it mode 0600", path)
    return path.read_bytes().strip()


@define
class FernetSecretBox:
    secrets_key: str | None = field(default=None, repr=False)
    data_dir: Path = Path("./data")
    _fernet: MultiFernet | None = field(default=None, init=False, repr=False)

    def _box(self) -> MultiFernet:
        if self._fernet is None:
            keys = [k.strip().encode() for k in self.secrets_key.split(",")] if self.secrets_key else [
                generated_key(self.data_dir)]
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        return self._fernet

    def seal(self, secret: str) -> str:
        return self._box().encrypt(secret.encode()).decode("ascii")

    def open(self, token: str) -> str:
        try:
            return self._box().decrypt(token.encode("ascii")).decode()
        except (InvalidToken, UnicodeError):
            raise SecretUnreadable("a stored key cannot be opened with this installation's SECRETS_KEY "
                                   "(it was sealed under another one): register the key again") from None
