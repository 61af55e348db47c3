"""Every forged, expired or misdirected access token is refused, by header and by cookie, and
so is a valid one whose session has ended."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest

from app.core.clock import utc_now
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from tests.e2e.api.conftest import JWT_SECRET, SignIn
from tests.e2e.api.secrets_guard import SecretsGuard, guarding
from tests.support.sessions import start_session

pytestmark = pytest.mark.e2e

USER_ID = 777_000_000_000_000_001
ME = "/api/v1/auth/me"

Forge = Callable[[dict[str, Any]], str]


@pytest.fixture(autouse=True)
async def guard(
    caplog: pytest.LogCaptureFixture, api_settings: Settings, sign_in: SignIn
) -> AsyncIterator[SecretsGuard]:
    with guarding(caplog) as secrets_guard:
        secrets_guard.add_settings(api_settings)
        await sign_in(USER_ID)
        yield secrets_guard


@pytest.fixture
async def valid_claims(api_settings: Settings, runtime: Runtime) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": str(USER_ID),
        "sid": await start_session(runtime.dependencies.refresh_tokens, USER_ID),
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "iss": api_settings.jwt_issuer,
        "aud": api_settings.jwt_audience,
    }


def signed(claims: dict[str, Any], key: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(claims: dict[str, Any]) -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def tampered(claims: dict[str, Any]) -> str:
    header, _, signature = signed(claims).split(".")
    return f"{header}.{b64({**claims, 'sub': '1'})}.{signature}"


def without(claim: str) -> Forge:
    return lambda claims: signed({k: v for k, v in claims.items() if k != claim})


def changed(**overrides: Any) -> Forge:
    return lambda claims: signed({**claims, **overrides})


FORGERIES: dict[str, Forge] = {
    "alg none": unsigned,
    "wrong key": lambda claims: signed(claims, key="another-secret-" + "y" * 40),
    "another HMAC algorithm": lambda claims: signed(claims, algorithm="HS512"),
    "tampered payload": tampered,
    "expired": changed(exp=int(time.time()) - 3600, iat=int(time.time()) - 4000),
    "wrong audience": changed(aud="another-api"),
    "wrong issuer": changed(iss="someone-else"),
    "missing jti": without("jti"),
    "missing sub": without("sub"),
    "missing exp": without("exp"),
    "missing iat": without("iat"),
    "missing sid": without("sid"),
    "empty sid": changed(sid=""),
    "numeric sid": changed(sid=12345),
    "sid of no session": changed(sid=uuid.uuid4().hex),
    "non-numeric sub": changed(sub="ghost"),
    "unknown user": changed(sub="123456789"),
    "not a JWT": lambda claims: "not-a-jwt",
}


def as_bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"debrief_access={token}"}


async def test_a_valid_token_is_accepted(
    client: httpx.AsyncClient, valid_claims: dict[str, Any], guard: SecretsGuard
) -> None:
    token = signed(valid_claims)
    guard.add("access token", token)

    for headers in (as_bearer(token), as_cookie(token)):
        assert (await client.get(ME, headers=headers)).status_code == 200


# PyJWT warns that the test's secret is short for HS512; the token is forged on purpose.
@pytest.mark.filterwarnings("ignore:The HMAC key is")
@pytest.mark.parametrize("transport", [as_bearer, as_cookie], ids=["bearer", "cookie"])
@pytest.mark.parametrize("forgery", FORGERIES.values(), ids=FORGERIES.keys())
async def test_a_bad_access_token_is_refused(
    client: httpx.AsyncClient,
    valid_claims: dict[str, Any],
    guard: SecretsGuard,
    forgery: Forge,
    transport: Callable[[str], dict[str, str]],
) -> None:
    token = forgery(valid_claims)
    guard.add("forged access token", token)

    response = await client.get(ME, headers=transport(token))

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("transport", [as_bearer, as_cookie], ids=["bearer", "cookie"])
async def test_a_valid_token_of_a_revoked_session_is_refused(
    client: httpx.AsyncClient,
    valid_claims: dict[str, Any],
    runtime: Runtime,
    guard: SecretsGuard,
    transport: Callable[[str], dict[str, str]],
) -> None:
    token = signed(valid_claims)
    guard.add("access token", token)
    # Revoked in the database alone, as another replica would: this one has not checked yet.
    await runtime.dependencies.refresh_tokens.revoke_family(valid_claims["sid"], utc_now())

    response = await client.get(ME, headers=transport(token))

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_no_token_at_all_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(ME)

    assert response.status_code == 401
