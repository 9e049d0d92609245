"""Authentication: API keys and JWTs (HS256, RS256, ES256), 401 and 403, the WebSocket's token, the principal."""

from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domain.access import Principal, Role
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.auth.principal import principal_of
from entrypoints.settings import Settings
from tests.api.auth_support import AUDIENCE, KEYS, auth_settings, bearer, token
from tests.api.helpers import API, error_of


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return auth_settings(tmp_path)


@pytest.fixture
async def client(settings: Settings, container: Container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    return await aiohttp_client(create_app(settings, container))


async def test_no_credential_is_401_with_www_authenticate(client):
    response = await client.get(f"{API}/projects")
    error = await error_of(response, 401)
    assert error["code"] == "UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="storycanvas"')


async def test_an_unknown_key_is_401_naming_the_invalid_token(client):
    response = await client.get(f"{API}/projects", headers=bearer("not-a-key"))
    await error_of(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


async def test_liveness_stays_open(client):
    assert (await client.get(f"{API}/health")).status == 200


async def test_a_role_too_low_is_403_forbidden(client):
    error = await error_of(await client.post(f"{API}/projects", json={"name": "p"}, headers=bearer(KEYS["viewer"])),
                           403)
    assert error["code"] == "FORBIDDEN" and "editor" in error["message"]


async def test_a_valid_token_acts_with_its_role(client):
    response = await client.post(f"{API}/projects", json={"name": "p"}, headers=bearer(token("editor")))
    assert response.status == 201
    forbidden = await client.post(f"{API}/queue/pause", headers=bearer(token("editor")))
    assert forbidden.status == 403


@pytest.mark.parametrize(("label", "credential"), [
    ("expired", token("admin", expires_in=-60)),
    ("tampered", token("viewer")[:-4] + "AAAA"),
    ("signed with another secret", token("admin", key="another-secret-of-the-right-length-xx")),
    ("wrong audience", token("admin", aud="someone-else")),
    ("wrong issuer", token("admin", iss="https://elsewhere.test")),
    ("unknown role", token("root")),
    ("no subject", token("admin", sub="")),
])
async def test_a_bad_token_is_401(client, label, credential):
    response = await client.get(f"{API}/projects", headers=bearer(credential))
    error = await error_of(response, 401)
    assert error["code"] == "UNAUTHORIZED", label


async def test_a_token_just_expired_is_within_the_leeway(client):
    assert (await client.get(f"{API}/projects", headers=bearer(token("viewer", expires_in=-2)))).status == 200


async def test_an_unsigned_token_is_refused(client):
    import jwt

    unsigned = jwt.encode({"sub": "a", "role": "admin", "exp": 4102444800, "aud": AUDIENCE}, None, algorithm="none")
    assert (await client.get(f"{API}/projects", headers=bearer(unsigned))).status == 401


def _pem(private) -> str:  # type: ignore[no-untyped-def]
    return private.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.mark.parametrize(("algorithm", "make"), [
    ("RS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
])
async def test_asymmetric_tokens_are_verified_with_the_public_key(tmp_path, container, aiohttp_client, algorithm,
                                                                 make):
    private = make()
    settings = auth_settings(tmp_path, auth_jwt_secret=None, auth_jwt_public_key=_pem(private))
    client = await aiohttp_client(create_app(settings, container))
    good = token("viewer", key=private, algorithm=algorithm)
    assert (await client.get(f"{API}/projects", headers=bearer(good))).status == 200
    other = token("viewer", key=make(), algorithm=algorithm)
    assert (await client.get(f"{API}/projects", headers=bearer(other))).status == 401
    hs256 = token("viewer")  # an HS256 token must not pass where a public key verifies
    assert (await client.get(f"{API}/projects", headers=bearer(hs256))).status == 401


# The WebSocket ------------------------------------------------------------------------------------------------


async def test_the_websocket_without_a_token_is_refused(client):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"{API}/ws")
    assert refused.value.status == 401


async def _subscribes(socket: aiohttp.ClientWebSocketResponse) -> None:
    await socket.send_json({"type": "subscribe_queue", "data": {}})
    assert (await socket.receive_json(timeout=15))["type"] == "queue_snapshot"
    await socket.close()


async def test_the_websocket_takes_the_token_as_a_subprotocol(client):
    socket = await client.ws_connect(f"{API}/ws", protocols=("bearer", token("viewer")))
    assert socket.protocol == "bearer"
    await _subscribes(socket)


async def test_the_websocket_takes_the_token_in_the_query(client):
    await _subscribes(await client.ws_connect(f"{API}/ws?token={KEYS['viewer']}"))


async def test_the_websocket_takes_the_authorization_header(client):
    await _subscribes(await client.ws_connect(f"{API}/ws", headers=bearer(KEYS["viewer"])))


async def test_the_websocket_refuses_a_bad_token(client):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"{API}/ws?token=wrong")
    assert refused.value.status == 401


async def test_a_query_token_is_only_for_the_websocket(client):
    assert (await client.get(f"{API}/projects?token={KEYS['admin']}")).status == 401


# The principal --------------------------------------------------------------------------------------------------


async def test_the_principal_is_on_the_request(settings, container, aiohttp_client):
    seen: list[Principal] = []

    @web.middleware
    async def spy(request: web.Request, handler):  # type: ignore[no-untyped-def]
        response = await handler(request)
        seen.append(principal_of(request))
        return response

    app = create_app(settings, container)
    app.middlewares.append(spy)
    client = await aiohttp_client(app)
    await client.get(f"{API}/projects", headers=bearer(token("editor", sub="bob")))
    await client.get(f"{API}/projects", headers=bearer(KEYS["viewer"]))
    assert seen == [Principal("bob", Role.EDITOR), Principal("key:viewer#1", Role.VIEWER)]


async def test_with_auth_off_the_principal_is_anonymous_and_all_powerful(client_without_auth):
    assert (await client_without_auth.post(f"{API}/queue/pause")).status == 200


@pytest.fixture
async def client_without_auth(tmp_path, container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    settings = auth_settings(tmp_path, auth_disabled=True)
    return await aiohttp_client(create_app(settings, container))
