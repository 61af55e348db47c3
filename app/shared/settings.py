"""The one settings object, read from the environment and `.env`.

It is built by an entrypoint (the CLI, `bot.py`) and passed down; nothing reads the environment
at import time. Secrets are SecretStr so they never show up in a repr or a log line.
"""

from __future__ import annotations

import importlib.util
import ipaddress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import limits
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that appear in examples and tutorials; a deployment that keeps one has no secret.
_PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "secret",
        "jwt-secret",
        "your-secret",
        "please-change-this-secret",
    }
)
_MIN_JWT_SECRET_LENGTH = 32


class Environment(StrEnum):
    PRODUCTION = "production"
    DEVELOPMENT = "development"
    # Local emulators of Discord and Gemini, no credentials needed.
    SANDBOX = "sandbox"


class Settings(BaseSettings):
    # Empty values count as unset, so a copied .env.example with blanks is valid.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )

    debrief_env: Environment = Environment.PRODUCTION
    mongodb_uri: SecretStr | None = None
    mongodb_database: str = "debrief"
    debrief_data_dir: Path = Path(".debrief")
    embedded_db_port: int = Field(default=27027, ge=1, le=65535)

    discord_bot_token: SecretStr | None = None
    discord_client_id: str | None = None
    discord_client_secret: SecretStr | None = None
    discord_api_base_url: str | None = None
    discord_gateway_url: str | None = None
    discord_dev_guild_id: int | None = None
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: Annotated[list[int] | None, NoDecode] = None

    gemini_api_key: SecretStr | None = None
    # app.shared.gemini.models.DEFAULT_MODEL (a test keeps the two equal; importing the
    # adapter package here would be circular).
    gemini_model: str = "gemini-3.5-flash-lite"
    gemini_base_url: str | None = None
    gemini_timeout_ms: int = Field(default=30_000, ge=1_000, le=300_000)
    # Who reads screenshots: "gemini", "local" (on this machine's CPU, the `local-ai` extra)
    # or "auto" (Gemini when GEMINI_API_KEY is set, the local reader otherwise).
    ai_reader: Literal["gemini", "local", "auto"] = "auto"
    # Worker processes of the local reader, one core and 600 to 700 MB each.
    local_reader_workers: int = Field(default=1, ge=1, le=8)
    # While Gemini reads, the local reader (when installed) reads each screenshot too, and
    # every field the two read differently is flagged on the match for the player to check.
    reader_cross_check: bool = True
    # A reader the development tools provide (by entry point name) that checks every
    # screenshot reading, so the sandbox and the tests can show disagreements on demand.
    development_check_reader: str | None = None
    # False: Gemini only reads screenshots and plans /ask; debriefs and digests are written by
    # the templates, on purpose, so nothing is logged as a failure (the sandbox's AI).
    gemini_writes: bool = True
    # Who plans /ask questions: Gemini, with the local planner when it is down; or only the
    # local planner, which needs no AI (the sandbox, whose Gemini stand-in cannot plan).
    ask_planner: Literal["gemini", "local"] = "gemini"

    # Bot uploads. Screenshots are decoded this many at a time, each in a short-lived worker
    # process; an attachment download gets this long, body included.
    image_workers: int = Field(default=2, ge=1, le=8)
    attachment_download_timeout_s: int = Field(default=20, ge=1, le=120)
    # /debrief commands in progress at once in one bot process; the others wait in line,
    # acknowledged and told their place (app/core/admission.py).
    debrief_concurrency: int = Field(default=16, ge=1, le=256)
    # Whole-squad capture: two uploads this close in time with the same mode, map and score
    # are one match, recorded once per player.
    same_match_window_minutes: int = Field(default=120, ge=1, le=24 * 60)

    jwt_secret: SecretStr | None = Field(default=None, validate_default=True)
    jwt_issuer: str = "debrief"
    jwt_audience: str = "debrief-api"
    access_token_ttl_s: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=90)
    public_base_url: str = "http://127.0.0.1:8000"

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    # The sandbox's web console (`make run` without DISCORD_BOT_TOKEN); `--port` overrides it.
    sandbox_console_port: int = Field(default=8765, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "text"
    catalog_path: Path | None = None
    # How often the bot looks for servers whose weekly digest is due.
    digest_check_interval_s: int = Field(default=300, ge=1, le=3600)
    # Per user and per client address, shared by every API replica ("N/second|minute|hour").
    ask_rate_limit: str = "10/minute"
    login_rate_limit: str = "20/minute"

    # Web sessions. Pages allowed to refresh or log out a cookie session, besides
    # PUBLIC_BASE_URL's own origin: comma-separated origins like "https://app.example.com".
    web_origins: Annotated[list[str], NoDecode] = []
    # How long an API replica trusts that a session it checked is still active: a logout or a
    # revocation done on another replica reaches its access tokens within this bound.
    session_check_ttl_s: int = Field(default=5, ge=0, le=60)

    @field_validator("web_origins", mode="before")
    @classmethod
    def _split_web_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    # --- API abuse limits: request size, reads and exports, trusted proxies ----------------
    # The largest legitimate body (a match correction) is a few KiB; 64 KiB leaves room.
    max_request_body_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    # All header names and values together (cookies included), and how many headers.
    max_request_header_bytes: int = Field(default=32 * 1024, ge=4096, le=1024 * 1024)
    max_request_headers: int = Field(default=100, ge=16, le=1000)
    # Per user, shared by every API replica: every authenticated GET, and CSV exports too.
    read_rate_limit: str = "120/minute"
    # Per user and API process: reads worked on at the same time (the excess gets 429 at once).
    read_max_in_flight: int = Field(default=4, ge=1, le=1000)
    export_rate_limit: str = "20/hour"
    # CSV exports streaming at once in one API process (each user: one at a time).
    export_max_concurrent: int = Field(default=4, ge=1, le=64)
    # Addresses (IPs or CIDRs) of the proxies whose X-Forwarded-For/-Proto are believed.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("read_rate_limit", "export_rate_limit")
    @classmethod
    def _parse_abuse_rate_limit(cls, value: str) -> str:
        return cls._parse_rate_limit(value)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_trusted_proxies(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("web_origins")
    @classmethod
    def _refuse_what_is_not_an_origin(cls, value: list[str]) -> list[str]:
        message = 'must be origins like "https://app.example.com", comma-separated'
        for origin in value:
            parts = urlsplit(origin)
            try:
                parts.port  # noqa: B018  # raises on a port that is not a number in range
            except ValueError:
                raise ValueError(message) from None
            if (
                parts.scheme not in {"http", "https"}
                or not parts.hostname
                or parts.path not in {"", "/"}
                or parts.query
                or parts.fragment
                or "@" in parts.netloc
            ):
                raise ValueError(message)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    "must be IP addresses or networks, comma-separated "
                    "(e.g. 10.0.0.5,172.18.0.0/16)"
                ) from None
        return value

    @field_validator("ai_reader")
    @classmethod
    def _local_reader_needs_its_extra(cls, value: str) -> str:
        if value == "local" and not local_ai_installed():
            raise ValueError(LOCAL_AI_MISSING)
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()] or None
        return value

    @field_validator("ask_rate_limit", "login_rate_limit")
    @classmethod
    def _parse_rate_limit(cls, value: str) -> str:
        try:
            allowed = limits.parse(value).amount
        except ValueError:
            allowed = 0
        if allowed < 1:
            raise ValueError('must look like "10/minute" or "100 per hour"')
        return value

    @field_validator("jwt_secret")
    @classmethod
    def _refuse_weak_secret_in_production(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        # A field validator (not a model one) so this is reported together with any other
        # invalid variable, in the same one-line message.
        if info.data.get("debrief_env", Environment.PRODUCTION) is not Environment.PRODUCTION:
            return value
        secret = value.get_secret_value() if value else ""
        if secret.strip().lower() in _PLACEHOLDER_SECRETS or len(secret) < _MIN_JWT_SECRET_LENGTH:
            raise ValueError(
                f"must be a random value of at least {_MIN_JWT_SECRET_LENGTH} characters in "
                "production (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return value

    @field_validator("development_check_reader")
    @classmethod
    def _refuse_development_reader_in_production(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        production = info.data.get("debrief_env", Environment.PRODUCTION) is Environment.PRODUCTION
        if value is not None and production:
            raise ValueError("is a development tool: set it only outside production")
        return value

    @property
    def is_sandbox(self) -> bool:
        return self.debrief_env is Environment.SANDBOX

    @property
    def embedded_db_dir(self) -> Path:
        return self.debrief_data_dir / "data"

    def secret_values(self) -> list[str]:
        """Every secret this process knows, for scrubbing from logs."""
        secrets = [
            self.mongodb_uri,
            self.discord_bot_token,
            self.discord_client_secret,
            self.gemini_api_key,
            self.jwt_secret,
        ]
        return [s.get_secret_value() for s in secrets if s and s.get_secret_value()]


# The Python packages of the `local-ai` extra: the on-device screenshot reader.
LOCAL_AI_PACKAGES = ("rapidocr", "onnxruntime")
LOCAL_AI_MISSING = (
    "local needs the on-device reader: pip install 'debrief[local-ai]' (make run installs it)"
)


def local_ai_installed() -> bool:
    """Whether the `local-ai` extra is installed (looked up, not imported)."""
    return all(importlib.util.find_spec(name) is not None for name in LOCAL_AI_PACKAGES)


class SettingsError(Exception):
    """Configuration is missing or invalid; the message names the variables, never values."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in detail["loc"][:1]).upper()
        message = str(detail["msg"]).removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return "Invalid configuration. " + "; ".join(problems) + ". See .env.example."
