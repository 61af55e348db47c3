"""People who log in to the web API, and their refresh tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class GuildMembership(BaseModel):
    """A snapshot of one server the user belongs to, taken from Discord at login or refresh."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    name: str
    permissions: int = 0
    owner: bool = False


class UserFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    discord_id: int
    username: str
    global_name: str | None = None
    avatar: str | None = None
    guilds: list[GuildMembership] = Field(default_factory=list)
    guilds_refreshed_at: datetime | None = None
    created_at: datetime
    last_login_at: datetime


class User(UserFields):
    id: str


class RefreshTokenFields(BaseModel):
    """A refresh token as stored: only its hash, never the token itself."""

    model_config = ConfigDict(frozen=True)

    token_hash: str
    # Every rotation stays in the family of the first login, so reuse of an old token can
    # revoke all of them at once.
    family_id: str
    user_id: int
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class RefreshToken(RefreshTokenFields):
    id: str
