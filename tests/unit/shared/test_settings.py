"""Settings: secrets refused in production, clear errors naming variables, never values."""

from __future__ import annotations

import pytest

from app.shared.settings import Environment, SettingsError, load_settings

STRONG = "x" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DEBRIEF_ENV", "JWT_SECRET", "API_PORT", "SHARD_IDS", "MONGODB_URI"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("secret", [None, "", "changeme", "secret", "short-but-random"])
def test_production_refuses_an_empty_default_or_short_jwt_secret(secret: str | None) -> None:
    overrides = {"jwt_secret": secret} if secret is not None else {}
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        load_settings(**overrides)


@pytest.mark.parametrize("env", [Environment.DEVELOPMENT, Environment.SANDBOX])
def test_development_and_sandbox_run_without_a_jwt_secret(env: Environment) -> None:
    assert load_settings(debrief_env=env).jwt_secret is None


def test_reads_the_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / ".env").write_text(f"JWT_SECRET={STRONG}\nAPI_PORT=9000\n")
    monkeypatch.setenv("SHARD_IDS", "0, 2")

    settings = load_settings()

    assert settings.api_port == 9000
    assert settings.shard_ids == [0, 2]
    assert settings.jwt_secret is not None and settings.jwt_secret.get_secret_value() == STRONG


def test_invalid_values_name_the_variable_but_never_echo_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("API_PORT", "not-a-port-hunter2")
    monkeypatch.setenv("JWT_SECRET", STRONG)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert "API_PORT" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_secrets_are_hidden_in_repr_and_listed_for_scrubbing() -> None:
    settings = load_settings(jwt_secret=STRONG, gemini_api_key="AIza-test-key")

    assert STRONG not in repr(settings)
    assert set(settings.secret_values()) == {STRONG, "AIza-test-key"}


def test_env_example_documents_every_setting_and_loads_as_is(tmp_path) -> None:
    from pathlib import Path

    from app.shared.settings import Settings

    example = (Path(__file__).parents[3] / ".env.example").read_text()
    documented = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }

    compose_only = {
        "MONGO_ROOT_USERNAME",
        "MONGO_ROOT_PASSWORD",
        "MONGO_APP_USERNAME",
        "MONGO_APP_PASSWORD",
        "API_PUBLISH",
        "PROXY_SITE_ADDRESS",
        "MONGO_TAG",
        # The compose network's fixed addresses, so TRUSTED_PROXIES can name the proxy.
        "COMPOSE_SUBNET",
        "PROXY_IPV4",
    }
    assert documented == {name.upper() for name in Settings.model_fields} | compose_only
    (tmp_path / ".env").write_text(
        example.replace("DEBRIEF_ENV=production", "DEBRIEF_ENV=development")
    )
    assert load_settings().mongodb_uri is None
