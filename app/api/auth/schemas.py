"""Wire schemas of the auth routes. Discord ids travel as strings, as Discord sends them:
JavaScript numbers cannot hold a snowflake exactly."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.api.auth.principal import Principal
from app.core.accounts import User


class ServerPublic(BaseModel):
    id: str
    name: str
    owner: bool
    permissions: str = Field(description="The user's permission bitfield in this server.")
    can_manage: bool = Field(description="Owner, administrator or Manage Server.")


class MePublic(BaseModel):
    id: str
    username: str
    global_name: str | None
    avatar: str | None
    servers: list[ServerPublic]
    servers_refreshed_at: datetime | None = Field(
        description="When the server list was last read from Discord."
    )

    @classmethod
    def of(cls, user: User, principal: Principal) -> MePublic:
        return cls(
            id=str(user.discord_id),
            username=user.username,
            global_name=user.global_name,
            avatar=user.avatar,
            servers=[
                ServerPublic(
                    id=str(guild.guild_id),
                    name=guild.name,
                    owner=guild.owner,
                    permissions=str(guild.permissions),
                    can_manage=guild.guild_id in principal.admin_of,
                )
                for guild in user.guilds
            ],
            servers_refreshed_at=user.guilds_refreshed_at,
        )


class AccessTokenPublic(BaseModel):
    """For Bearer clients; browsers can ignore it and rely on the cookies."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.")
