"""Fixtures' helpers for the tests of an app with authentication on: keys per role and token minting."""

import time
from pathlib import Path
from typing import Any

import jwt

from domain.access import Role
from entrypoints.settings import Settings

KEYS = {"viewer": "view-key-0123456789", "editor": "edit-key-0123456789", "admin": "admin-key-0123456789"}
JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256"
AUDIENCE, ISSUER = "storycanvas-tests", "https://issuer.test"


def auth_settings(tmp_path: Path, **changes: Any) -> Settings:
    from domain.outbound import LOOPBACK

    values: dict[str, Any] = dict(
        upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", outbound_allowed_networks=LOOPBACK,
        auth_api_keys=tuple((Role.named(role), key) for role, key in KEYS.items()), auth_jwt_secret=JWT_SECRET,
        auth_jwt_audience=AUDIENCE, auth_jwt_issuer=ISSUER, auth_jwt_leeway_s=5.0,
    )
    return Settings(**(values | changes))


def token(role: str = "editor", *, sub: str = "alice", expires_in: float = 300, key: str = JWT_SECRET,
          algorithm: str = "HS256", **claims: Any) -> str:
    payload = {"sub": sub, "role": role, "exp": int(time.time() + expires_in), "aud": AUDIENCE, "iss": ISSUER}
    return jwt.encode(payload | claims, key, algorithm=algorithm)


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}
