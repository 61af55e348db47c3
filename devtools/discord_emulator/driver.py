"""The test driver: what a Discord user or server admin would do, as async Python calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from .command_options import InvocationError, build_command_data
from .core import EmulatorCore
from .gateway_payloads import guild_create_payload
from .gateway_session import GUILDS
from .handles import DEFAULT_TIMEOUT, InteractionHandle
from .interaction_payloads import (
    component_data,
    dm_interaction_payload,
    interaction_payload,
    modal_submit_data,
)
from .interactions import APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT
from .messages import Message
from .models import DEFAULT_MEMBER_PERMISSIONS, JSON, Channel, Guild, Member, Role, User

MemberRef = int | User | Member
BUTTON = 2


class NotConnectedError(RuntimeError):
    """No gateway session (live or resumable) receives events for that guild."""


class TestDriver:
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, core: EmulatorCore) -> None:
        self._core = core
        self._state = core.state

    # -- the world --------------------------------------------------------------------------

    def create_guild(
        self,
        name: str = "Sandbox",
        *,
        guild_id: int | None = None,
        bot_permissions: int = DEFAULT_MEMBER_PERMISSIONS,
        preferred_locale: str = "en-US",
    ) -> Guild:
        """A guild the bot is in; connected shards that own it get a GUILD_CREATE."""
        guild = self._state.create_guild(
            name,
            guild_id=guild_id,
            bot_permissions=bot_permissions,
            preferred_locale=preferred_locale,
        )
        payload = guild_create_payload(self._state, guild, at_startup=False)
        self._core.gateway.dispatch("GUILD_CREATE", payload, guild_id=guild.id, intent=GUILDS)
        return guild

    def create_channel(
        self, guild_id: int, name: str = "general", *, channel_id: int | None = None
    ) -> Channel:
        channel = self._state.create_channel(guild_id, name, channel_id=channel_id)
        self._core.gateway.dispatch(
            "CHANNEL_CREATE", channel.to_payload(), guild_id=guild_id, intent=GUILDS
        )
        return channel

    def delete_channel(self, channel_id: int) -> None:
        """Delete a server channel, as an admin would in Discord; later requests get 404."""
        channel = self._state.delete_channel(channel_id)
        self._core.gateway.dispatch(
            "CHANNEL_DELETE", channel.to_payload(), guild_id=channel.guild_id, intent=GUILDS
        )

    def create_role(self, guild_id: int, name: str, permissions: int) -> Role:
        role = self._state.create_role(guild_id, name, permissions)
        self._core.gateway.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild_id), "role": role.to_payload()},
            guild_id=guild_id,
            intent=GUILDS,
        )
        return role

    def create_member(
        self,
        guild_id: int,
        username: str,
        *,
        permissions: int | None = None,
        role_ids: Sequence[int] = (),
        user_id: int | None = None,
    ) -> Member:
        """A member; `permissions` gives them a role of their own with exactly those bits."""
        user = self._state.users.get(user_id) if user_id else None
        user = user or self._state.create_user(username, user_id=user_id)
        roles = list(role_ids)
        if permissions is not None:
            roles.append(self.create_role(guild_id, f"{username}'s role", permissions).id)
        return self._state.add_member(guild_id, user, role_ids=roles)

    def register_attachment(
        self,
        data: bytes,
        filename: str,
        content_type: str = "application/octet-stream",
        *,
        description: str | None = None,
        url: str | None = None,
        declared_size: int | None = None,
    ) -> JSON:
        """Upload a file as a user would attach it to a command; returns its payload.

        Tests only: `url` makes the interaction point at another server instead of the
        emulator's CDN, and `declared_size` makes it announce a size other than the body's.
        """
        _check_hostile_overrides(url, declared_size)
        attachment = self._state.store_attachment(
            filename,
            content_type,
            data,
            folder=f"ephemeral-attachments/{self._state.application.id}",
            description=description,
            ephemeral=True,
        )
        attachment.url_override = url
        attachment.declared_size = declared_size
        return attachment.to_payload(self._core.base_url)

    def set_oauth_user(self, user: MemberRef) -> None:
        """The user who approves OAuth2 authorization requests from now on."""
        self._core.oauth.user_id = _user_id(user)

    # -- interactions -----------------------------------------------------------------------

    def invoke_command(
        self,
        name: str,
        *,
        member: MemberRef,
        channel_id: int,
        subcommand: str | None = None,
        options: Mapping[str, Any] | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Run a registered slash command; `subcommand` may be "group sub"."""
        channel = self._state.channel(channel_id)
        guild = self._state.guild(channel.guild_id)
        command = self._state.find_command(name, guild.id)
        if command is None:
            raise InvocationError(f"no slash command /{name} is registered for guild {guild.id}")
        data = build_command_data(
            self._state,
            guild,
            command,
            base_url=self._core.base_url,
            subcommand=subcommand,
            values=options or {},
        )
        return self._send(APPLICATION_COMMAND, channel, _user_id(member), data, locale)

    def click_button(
        self, message_id: int, custom_id: str, *, member: MemberRef, locale: str = "en-US"
    ) -> InteractionHandle:
        return self._use_component(message_id, custom_id, None, member, locale)

    def choose_options(
        self,
        message_id: int,
        custom_id: str,
        values: Sequence[str],
        *,
        member: MemberRef,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Pick values in a select menu of a message."""
        return self._use_component(message_id, custom_id, values, member, locale)

    def submit_modal(
        self,
        answered: InteractionHandle,
        values: Mapping[str, str | Sequence[str]],
        *,
        member: MemberRef | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Submit the modal the bot answered `answered` with, filling inputs by custom_id."""
        modal = answered.record.modal
        if modal is None:
            raise InvocationError(f"{answered!r} was not answered with a modal")
        data = modal_submit_data(modal, values)
        source = answered.record.source_message_id
        message = (
            None if source is None else self._core.messages.payload(self._state.message(source))
        )
        user_id = answered.record.user_id if member is None else _user_id(member)
        if answered.record.guild_id is None:  # a form opened from a button in a DM
            return self._send_in_dm(
                MODAL_SUBMIT,
                answered.record.channel_id,
                user_id,
                data,
                locale,
                source_message_id=source,
                message=message,
            )
        channel = self._state.channel(answered.record.channel_id)
        return self._send(
            MODAL_SUBMIT, channel, user_id, data, locale, source_message_id=source, message=message
        )

    # -- reading ----------------------------------------------------------------------------

    def channel_messages(
        self, channel_id: int, *, include_ephemeral: bool = False
    ) -> list[Message]:
        return self._state.channel_messages(channel_id, include_ephemeral=include_ephemeral)

    def direct_messages(self, user_id: int) -> list[Message]:
        """What the bot sent a user privately (empty if it never opened a DM with them)."""
        channel = next(
            (c for c in self._state.dm_channels.values() if c.recipient.id == user_id), None
        )
        return [] if channel is None else self._state.channel_messages(channel.id)

    def message_payload(self, message: Message) -> JSON:
        return self._core.messages.payload(message)

    async def wait_for_message(
        self,
        channel_id: int,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> Message:
        """The first live message in the channel (ephemeral ones too) matching `predicate`."""

        def probe() -> Message | None:
            messages = self._state.channel_messages(channel_id, include_ephemeral=True)
            return next((m for m in messages if predicate is None or predicate(m)), None)

        return await self._core.notifier.wait_for(
            probe, timeout=timeout, what=f"a message in channel {channel_id}"
        )

    async def wait_for_sessions(
        self,
        count: int = 1,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> None:
        """Until `count` shards have a connected, READY gateway session."""

        def probe() -> bool | None:
            live = [s for s in self._core.gateway.sessions if s.ready and s.connection]
            return True if len(live) >= count else None

        await self._core.notifier.wait_for(
            probe, timeout=timeout, what=f"{count} connected gateway session(s)"
        )

    # -- internals --------------------------------------------------------------------------

    def _use_component(
        self,
        message_id: int,
        custom_id: str,
        values: Sequence[str] | None,
        member: MemberRef,
        locale: str,
    ) -> InteractionHandle:
        message = self._state.message(message_id)
        component = message.find_component(custom_id)
        if component is None or component.get("disabled"):
            raise InvocationError(f"message {message_id} has no enabled component {custom_id!r}")
        if (component["type"] == BUTTON) != (values is None):
            expected = "button" if values is None else "select menu"
            raise InvocationError(f"{custom_id!r} is not a {expected}")
        data = component_data(custom_id, component["type"], values)
        if message.channel_id in self._state.dm_channels:
            return self._send_in_dm(
                MESSAGE_COMPONENT,
                message.channel_id,
                _user_id(member),
                data,
                locale,
                source_message_id=message.id,
                message=self._core.messages.payload(message),
            )
        channel = self._state.channel(message.channel_id)
        return self._send(
            MESSAGE_COMPONENT,
            channel,
            _user_id(member),
            data,
            locale,
            source_message_id=message.id,
            message=self._core.messages.payload(message),
        )

    def _send(
        self,
        interaction_type: int,
        channel: Channel,
        user_id: int,
        data: JSON,
        locale: str,
        *,
        source_message_id: int | None = None,
        message: JSON | None = None,
    ) -> InteractionHandle:
        guild = self._state.guild(channel.guild_id)
        if user_id not in guild.members:
            raise InvocationError(f"user {user_id} is not a member of guild {guild.id}")
        if not self._core.gateway.sessions_for_guild(guild.id):
            raise NotConnectedError(f"no gateway session receives events of guild {guild.id}")
        record = self._core.interactions.create(
            self._state.ids.next(),
            interaction_type,
            guild_id=guild.id,
            channel_id=channel.id,
            user_id=user_id,
            source_message_id=source_message_id,
        )
        record.payload = interaction_payload(
            self._state,
            record,
            data,
            locale=locale,
            attachment_size_limit=self._core.config.attachment_size_limit,
        )
        if message is not None:
            record.payload["message"] = message
        self._core.gateway.dispatch("INTERACTION_CREATE", record.payload, guild_id=guild.id)
        return InteractionHandle(record, self._state, self._core.notifier)

    def _send_in_dm(
        self,
        interaction_type: int,
        channel_id: int,
        user_id: int,
        data: JSON,
        locale: str,
        *,
        source_message_id: int | None,
        message: JSON | None,
    ) -> InteractionHandle:
        """An interaction in the bot's DM with a user (a button under a message it sent them
        privately, or the form such a button opened): only the recipient can use it, and, as
        Discord does, it goes to shard 0, without a server."""
        dm = self._state.dm_channels[channel_id]
        if dm.recipient.id != user_id:
            raise InvocationError(f"user {user_id} cannot see the DM {dm.id}")
        if not self._core.gateway.dispatch_count_for_dm():
            raise NotConnectedError("no gateway session receives DM events (shard 0)")
        record = self._core.interactions.create(
            self._state.ids.next(),
            interaction_type,
            guild_id=None,
            channel_id=dm.id,
            user_id=user_id,
            source_message_id=source_message_id,
        )
        record.payload = dm_interaction_payload(
            self._state,
            record,
            data,
            locale=locale,
            attachment_size_limit=self._core.config.attachment_size_limit,
        )
        if message is not None:
            record.payload["message"] = message
        self._core.gateway.dispatch_to_dm_shard("INTERACTION_CREATE", record.payload)
        return InteractionHandle(record, self._state, self._core.notifier)


def _user_id(ref: MemberRef) -> int:
    if isinstance(ref, Member):
        return ref.user.id
    return ref.id if isinstance(ref, User) else ref


def _check_hostile_overrides(url: str | None, declared_size: int | None) -> None:
    if url is not None:
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InvocationError("url must be an absolute http(s) URL")
    if declared_size is not None and (
        isinstance(declared_size, bool) or not isinstance(declared_size, int) or declared_size < 0
    ):
        raise InvocationError("declared_size must be a non-negative integer")
