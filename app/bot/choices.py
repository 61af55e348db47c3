"""Slash-command choices made from the core's options, so Discord offers exactly what the API
accepts, under the same labels."""

from __future__ import annotations

from collections.abc import Iterable

from discord import app_commands

from app.core.reads.options import (
    Option,
    ask_scope_options,
    ask_scope_setting_options,
    mode_options,
    period_options,
    stat_options,
)


def choices(options: Iterable[Option]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=option.label, value=option.value) for option in options]


MODE_CHOICES = choices(mode_options())
STAT_CHOICES = choices(stat_options())
PERIOD_CHOICES = choices(period_options())
ASK_SCOPE_CHOICES = choices(ask_scope_options())
ASK_SCOPE_SETTING_CHOICES = choices(ask_scope_setting_options())
