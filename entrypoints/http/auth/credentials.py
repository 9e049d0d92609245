"""Turning a bearer credential (an API key or a JWT) into a principal."""

import hashlib
import hmac

import jwt
from attrs import frozen

from domain.access import Principal, Role
from entrypoints.settings import Settings

ASYMMETRIC = ("RS256", "ES256")


class InvalidCredential(Exception):
    """The credential is unknown, expired, tampered with or meant for someone else."""


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


@frozen
class ApiKeys:
    """Keys kept as SHA-256 digests; a lookup compares against every one in constant time."""

    digests: tuple[tuple[Role, bytes], ...]

    @classmethod
    def of(cls, keys: tuple[tuple[Role, str], ...]) -> "ApiKeys":
        return cls(tuple((role, _digest(key)) for role, key in keys))

    def principal(self, token: str) -> Principal | None:
        offered, found = _digest(token), None
        for number, (role, digest) in enumerate(self.digests, start=1):
            if hmac.compare_digest(offered, digest) and found is None:
                found = Principal(f"key:{role.name.lower()}#{number}", role)
        return found


@frozen
class JwtVerifier:
    key: str
    algorithms: tuple[str, ...]
    audience: str | None = None
    issuer: str | None = None
    leeway_s: float = 30.0

    def principal(self, token: str) -> Principal:
        try:
            claims = jwt.decode(token, self.key, algorithms=list(self.algorithms), audience=self.audience,
                                issuer=self.issuer, leeway=self.leeway_s,
                                options={"require": ["sub", "exp"], "verify_aud": self.audience is not None})
        except jwt.PyJWTError as exc:
            raise InvalidCredential(f"invalid token: {exc}") from None
        if not isinstance(claims["sub"], str) or not claims["sub"].strip():
            raise InvalidCredential("invalid token: its sub claim is empty")
        try:
            return Principal(claims["sub"], Role.named(str(claims.get("role", ""))))
        except ValueError:
            raise InvalidCredential("invalid token: its role claim is not viewer, editor or admin") from None


@frozen
class Authenticator:
    keys: ApiKeys
    tokens: JwtVerifier | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Authenticator":
        tokens = None
        if settings.auth_jwt_public_key or settings.auth_jwt_secret:
            asymmetric = settings.auth_jwt_public_key is not None
            tokens = JwtVerifier(settings.auth_jwt_public_key or settings.auth_jwt_secret or "",
                                 ASYMMETRIC if asymmetric else ("HS256",), audience=settings.auth_jwt_audience,
                                 issuer=settings.auth_jwt_issuer, leeway_s=settings.auth_jwt_leeway_s)
        return cls(ApiKeys.of(settings.auth_api_keys), tokens)

    def principal(self, token: str) -> Principal:
        """The principal the credential names; InvalidCredential otherwise."""
        found = self.keys.principal(token)
        if found is not None:
            return found
        if self.tokens is not None and token.count(".") == 2:
            return self.tokens.principal(token)
        raise InvalidCredential("unknown API key" if self.tokens is None else "unknown API key or token")
