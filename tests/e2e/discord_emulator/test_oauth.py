"""OAuth2 authorization code with PKCE, as the web API's "Login with Discord" uses it."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx

from devtools.discord_emulator import DiscordEmulator

from .conftest import World

REDIRECT_URI = "http://127.0.0.1:8000/auth/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def authorize(
    client: httpx.AsyncClient,
    emulator: DiscordEmulator,
    challenge: str,
    scope: str = "identify guilds",
) -> str:
    answer = await client.get(
        "/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": str(emulator.state.application.id),
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
            "state": "st4te",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "prompt": "none",
        },
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["st4te"]
    return query["code"][0]


def token_form(emulator: DiscordEmulator, **fields: str) -> dict[str, str]:
    return {
        "client_id": str(emulator.state.application.id),
        "client_secret": emulator.config.client_secret,
        **fields,
    }


async def test_code_with_pkce_logs_the_user_in(emulator: DiscordEmulator, world: World) -> None:
    emulator.driver.set_oauth_user(world.member)
    verifier, challenge = pkce_pair()
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        code = await authorize(client, emulator, challenge)
        issued = await client.post(
            "/api/v10/oauth2/token",
            data=token_form(
                emulator,
                grant_type="authorization_code",
                code=code,
                redirect_uri=REDIRECT_URI,
                code_verifier=verifier,
            ),
        )
        tokens = issued.json()
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        me = await client.get("/api/v10/users/@me", headers=bearer)
        guilds = await client.get("/api/v10/users/@me/guilds", headers=bearer)

    assert issued.status_code == 200 and issued.headers["Content-Type"] == "application/json"
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == "identify guilds"
    assert me.json()["id"] == str(world.member.user.id)
    [guild] = guilds.json()
    expected = world.guild.permissions_of(world.member.user.id)
    assert guild == {
        "id": str(world.guild.id),
        "name": "Sandbox",
        "icon": None,
        "banner": None,
        "owner": False,
        "permissions": str(expected),
        "features": [],
    }


async def test_wrong_verifier_is_refused_and_burns_the_code(
    emulator: DiscordEmulator, world: World
) -> None:
    verifier, challenge = pkce_pair()
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        code = await authorize(client, emulator, challenge)
        wrong = await client.post(
            "/api/oauth2/token",
            data=token_form(
                emulator,
                grant_type="authorization_code",
                code=code,
                redirect_uri=REDIRECT_URI,
                code_verifier=verifier + "x",
            ),
        )
        retried = await client.post(
            "/api/oauth2/token",
            data=token_form(
                emulator,
                grant_type="authorization_code",
                code=code,
                redirect_uri=REDIRECT_URI,
                code_verifier=verifier,
            ),
        )

    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert retried.status_code == 400


async def test_client_secret_and_redirect_uri_are_checked(
    emulator: DiscordEmulator, world: World
) -> None:
    verifier, challenge = pkce_pair()
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        code = await authorize(client, emulator, challenge)
        bad_secret = await client.post(
            "/api/oauth2/token",
            data={
                **token_form(
                    emulator,
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=REDIRECT_URI,
                    code_verifier=verifier,
                ),
                "client_secret": "guess",
            },
        )
        code = await authorize(client, emulator, challenge)
        bad_redirect = await client.post(
            "/api/oauth2/token",
            data=token_form(
                emulator,
                grant_type="authorization_code",
                code=code,
                redirect_uri="http://127.0.0.1:9999/elsewhere",
                code_verifier=verifier,
            ),
        )

    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"
    assert bad_redirect.status_code == 400 and bad_redirect.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_scopes_and_expiry_hold(
    emulator: DiscordEmulator, world: World
) -> None:
    verifier, challenge = pkce_pair()
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        code = await authorize(client, emulator, challenge, scope="identify")
        first = (
            await client.post(
                "/api/oauth2/token",
                data=token_form(
                    emulator,
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=REDIRECT_URI,
                    code_verifier=verifier,
                ),
            )
        ).json()
        refreshed = await client.post(
            "/api/oauth2/token",
            data=token_form(
                emulator, grant_type="refresh_token", refresh_token=first["refresh_token"]
            ),
        )
        replayed = await client.post(
            "/api/oauth2/token",
            data=token_form(
                emulator, grant_type="refresh_token", refresh_token=first["refresh_token"]
            ),
        )
        bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
        no_guilds_scope = await client.get("/api/v10/users/@me/guilds", headers=bearer)
        emulator.clock.advance(emulator.config.oauth_token_lifetime_seconds + 1)
        expired = await client.get("/api/v10/users/@me", headers=bearer)

    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] != first["refresh_token"]
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    assert no_guilds_scope.status_code == 401
    assert expired.status_code == 401


async def test_bad_authorize_requests_are_refused(emulator: DiscordEmulator, world: World) -> None:
    _, challenge = pkce_pair()
    base = {
        "response_type": "code",
        "client_id": str(emulator.state.application.id),
        "redirect_uri": REDIRECT_URI,
        "scope": "identify",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        wrong_client = await client.get("/oauth2/authorize", params={**base, "client_id": "1"})
        plain_pkce = await client.get(
            "/oauth2/authorize", params={**base, "code_challenge_method": "plain"}
        )

    assert wrong_client.status_code == 400 and wrong_client.json()["error"] == "invalid_client"
    # Errors after the redirect URI is known go back to the client, with the state.
    error = parse_qs(urlsplit(plain_pkce.headers["Location"]).query)
    assert error["error"] == ["invalid_request"] and error["state"] == ["s"]
    assert [e.status for e in emulator.request_log.matching("GET", "/oauth2/authorize")] == [
        400,
        302,
    ]
