"""The squad the dashboard tests look at: Discord servers in the emulator, matches in the
database, one of them flagged and debriefed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.core.accounts import GuildMembership
from app.core.analytics import WeekTotals
from app.core.clock import utc_now
from app.core.debriefing.digest import IsoWeek
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.deliveries import WeeklyDigest
from app.core.game.catalog import CatalogFlag, CatalogFlagReason, CatalogKind
from app.core.game.disagreements import ReaderFlag
from app.core.matches import Match
from app.shared.runtime import Runtime
from devtools.discord_emulator import Channel, DiscordEmulator, Guild
from tests.e2e.api.discord_login import Player, new_player
from tests.support.factories import (
    match_fields,
    raw_hardpoint,
    raw_search_and_destroy,
    user_fields,
)

OWN_SERVER_MATCHES = 22
SEARCH_AND_DESTROY_EVERY = 4  # one match in four
COMMUNITY_MATCHES = 3
TEAMMATE_MATCHES = 6
RECENT_MATCHES = 9  # within the last 7 days; the rest are older
HEADLINE = "Held the hill when it counted"


@dataclass(frozen=True)
class Squad:
    player: Player
    teammate_id: int
    channel: Channel
    newest: Match

    @property
    def own_server(self) -> Guild:
        return self.player.admin_of

    @property
    def community(self) -> Guild:
        return self.player.plays_in

    @property
    def total_matches(self) -> int:
        return OWN_SERVER_MATCHES + COMMUNITY_MATCHES


async def seed_squad(emulator: DiscordEmulator, runtime: Runtime) -> Squad:
    """The next OAuth login is `player`, admin of one server and member of another."""
    player = new_player(emulator)
    driver = emulator.driver
    teammate = driver.create_member(player.admin_of.id, "teammate")
    channel = driver.create_channel(player.admin_of.id, "squad-stats")
    deps = runtime.dependencies
    membership = GuildMembership(guild_id=player.admin_of.id, name=player.admin_of.name)
    await deps.users.upsert(user_fields(teammate.user.id, username="teammate", guilds=[membership]))
    matches = [
        await _add(runtime, player.discord_id, player.admin_of.id, index)
        for index in range(OWN_SERVER_MATCHES)
    ]
    for index in range(COMMUNITY_MATCHES):
        await _add(runtime, player.discord_id, player.plays_in.id, OWN_SERVER_MATCHES + index)
    for index in range(TEAMMATE_MATCHES):
        await _add(runtime, teammate.user.id, player.admin_of.id, index)
    newest = matches[0]
    await _debrief(runtime, newest)
    await _latest_digest(runtime, player.admin_of.id, channel.id, teammate.user.id)
    return Squad(player, teammate.user.id, channel, newest)


async def _latest_digest(runtime: Runtime, guild_id: int, channel_id: int, mate: int) -> None:
    """Last week's digest, as the bot wrote and posted it (mentions and all)."""
    now = utc_now()
    week = IsoWeek.containing(now - timedelta(weeks=1)).label
    totals = WeekTotals(matches=4, players=1, wins=3, losses=1, kills=90, deaths=60, top_players=[])
    text = f"**Week {week}**: 4 matches by 1 player.\nTop K/D: 1. <@{mate}> 1.50"
    digest = WeeklyDigest(
        guild_id=guild_id, channel_id=channel_id, week=week, text=text, totals=totals
    )
    outbox = runtime.dependencies.outbox
    entry = await outbox.enqueue(digest.outbox_message(now))
    await outbox.mark_delivered(entry.id, now)


async def _add(runtime: Runtime, user_id: int, guild_id: int, index: int) -> Match:
    """Match `index` hours (recent) or days (older) ago, its numbers varying with `index`."""
    ago = timedelta(hours=index) if index < RECENT_MATCHES else timedelta(days=index)
    if index % SEARCH_AND_DESTROY_EVERY == SEARCH_AND_DESTROY_EVERY - 1:
        raw = raw_search_and_destroy()
    else:
        kills = 14 + (index * 7) % 19
        raw = raw_hardpoint(kills=kills, deaths=10 + (index * 5) % 13)
        raw["weapons"] = [{"name": "M15 Mod 0", "kills": kills - 3, "headshots": 4}]
    newest = index == 0
    unknown = CatalogFlag(
        kind=CatalogKind.WEAPON, raw="Ray Gun Mk9", reason=CatalogFlagReason.UNKNOWN
    )
    disagreement = ReaderFlag(field="player.kills", used=raw["player"]["kills"], other=34)
    fields = match_fields(
        user_id=user_id,
        guild_id=guild_id,
        played_at=utc_now() - ago - timedelta(minutes=1),
        raw_stats=raw,
        catalog_flags=[unknown] if newest else [],
        reader_flags=[disagreement] if newest else [],
    )
    return await runtime.dependencies.matches.add(fields)


async def _debrief(runtime: Runtime, match: Match) -> None:
    await runtime.dependencies.debriefs.save(
        DebriefFields(
            match_id=match.id,
            guild_id=match.guild_id,
            user_id=match.user_id,
            headline=HEADLINE,
            strengths=["31 kills on the hill"],
            to_work_on=["Trade deaths less on the B spawn"],
            comparison="Above your last five on kills.",
            source=DebriefSource.TEMPLATE,
            created_at=utc_now(),
        )
    )
