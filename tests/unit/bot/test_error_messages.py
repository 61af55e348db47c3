"""What a user is told when discord.py cannot use an option they gave."""

from __future__ import annotations

import discord
from discord import app_commands

from app.bot.errors import CHANNEL_GONE, GENERIC, UNUSABLE_OPTION, user_message


class _Transformer(app_commands.Transformer):
    def __init__(self, kind: discord.AppCommandOptionType) -> None:
        self._kind = kind

    @property
    def type(self) -> discord.AppCommandOptionType:
        return self._kind


def transformer_error(kind: discord.AppCommandOptionType) -> app_commands.TransformerError:
    return app_commands.TransformerError("gone", kind, _Transformer(kind))


def test_a_channel_that_cannot_be_resolved_says_so() -> None:
    error = transformer_error(discord.AppCommandOptionType.channel)
    assert user_message(error) == CHANNEL_GONE


def test_any_other_unusable_option_is_the_users_input_not_our_fault() -> None:
    error = transformer_error(discord.AppCommandOptionType.user)
    assert user_message(error) == UNUSABLE_OPTION
    assert user_message(RuntimeError("a bug")) == GENERIC
