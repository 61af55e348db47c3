"""/link, /unlink and /season through the real bot process against the Discord emulator, with
the Gemini stub recording what the reader was asked. Each test plays in a server of its own:
a linked name has one owner per server, and a season is a server's."""

from __future__ import annotations

from dataclasses import dataclass

from app.shared.db.connection import Database
from devtools.discord_emulator import Channel, InteractionHandle, Member
from devtools.sandbox.orchestrator import Sandbox
from devtools.sandbox.world import EVERYDAY_PERMISSIONS, MANAGE_GUILD
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    attach_sample,
    fields,
    hardpoint,
    only_embed,
    private_outcome,
    saved_matches,
)
from tests.e2e.bot.test_squad import seed_in

# The name printed on the highlighted row of the samples' scoreboards.
SAMPLE_GAMERTAG = "NightOwl_77"


@dataclass(frozen=True)
class Squad:
    channel: Channel
    admin: Member
    alex: Member
    blake: Member


def squad_of_its_own(stack: Sandbox, label: str) -> Squad:
    driver = stack.emulator.driver
    guild = driver.create_guild(f"Squad {label}")
    channel = driver.create_channel(guild.id, "squad")
    state = stack.emulator.state
    state.overwrite_commands(guild.id, state.commands(stack.world.guild.id))

    def member(name: str, permissions: int = EVERYDAY_PERMISSIONS) -> Member:
        return driver.create_member(guild.id, f"{name}-{label}"[:32], permissions=permissions)

    return Squad(
        channel,
        member("admin", EVERYDAY_PERMISSIONS | MANAGE_GUILD),
        member("alex"),
        member("blake"),
    )


def run(
    stack: Sandbox,
    squad: Squad,
    who: Member,
    command: str,
    subcommand: str | None = None,
    **options: object,
) -> InteractionHandle:
    return stack.emulator.driver.invoke_command(
        command, member=who, channel_id=squad.channel.id, subcommand=subcommand, options=options
    )


async def outcome(handle: InteractionHandle, ack: str) -> str:
    return (await private_outcome(handle, ack)).content


async def test_link_refuses_a_taken_name_an_admin_moves_it_and_unlink_frees_it(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "links")
    alex, blake = squad.alex.user.id, squad.blake.user.id

    linked = await outcome(run(stack, squad, squad.alex, "link", gamertag=" Ghost "), "Linking…")
    taken = await outcome(run(stack, squad, squad.blake, "link", gamertag="GHOST"), "Linking…")
    not_admin = await outcome(
        run(stack, squad, squad.blake, "link", gamertag="Ghost", member=blake), "Linking…"
    )
    moved = await outcome(
        run(stack, squad, squad.admin, "link", gamertag="Ghost", member=blake), "Linking…"
    )
    not_yours = await outcome(
        run(stack, squad, squad.alex, "unlink", gamertag="ghost"), "Unlinking…"
    )
    unlinked = await outcome(
        run(stack, squad, squad.blake, "unlink", gamertag="ghost"), "Unlinking…"
    )

    assert linked.startswith("Linked. Your names here: **Ghost**.")
    assert taken == (
        f"That name is linked to <@{alex}>; a server admin can move it with "
        "/link gamertag:GHOST member:@you."
    )
    assert not_admin == "You need the Manage Server permission for that."
    assert moved.startswith(f"Linked. <@{blake}>'s names here: **Ghost**.")
    assert not_yours == "That name is not linked to you in this server."
    assert unlinked == "Unlinked **ghost**."
    assert (
        await database.db["gamertag_links"].count_documents({"guild_id": squad.channel.guild_id})
        == 0
    )


async def test_debrief_asks_the_reader_for_the_linked_name_and_records_it_was_found_by_it(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "reader")
    await outcome(
        run(stack, squad, squad.alex, "link", gamertag=SAMPLE_GAMERTAG.lower()), "Linking…"
    )

    handle = run(
        stack, squad, squad.alex, "debrief", scoreboard=attach_sample(stack, HARDPOINT_SCOREBOARD)
    )
    await private_outcome(handle, DEBRIEF_ACK)

    [read] = [request for request in stack.stub.requests if request.image_count]
    asked = "\n".join(read.texts)
    assert f'The player\'s row is the one named "{SAMPLE_GAMERTAG.lower()}"' in asked
    [match] = await saved_matches(database, squad.alex)
    assert match["stats"]["player"]["gamertag"] == SAMPLE_GAMERTAG
    assert match["row_found_by"] == "linked_name"


async def test_a_season_freezes_the_top_three_and_the_leaderboard_starts_over(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "season")
    guild, channel = squad.channel.guild_id, squad.channel.id
    for who, kills in ((squad.alex, 40), (squad.blake, 35), (squad.admin, 30)):
        await seed_in(guild, channel, who, [hardpoint(kills=kills, deaths=10)] * 3)

    refused = await outcome(
        run(stack, squad, squad.alex, "season", "start", name="Spring"), "Starting the season…"
    )
    handle = run(stack, squad, squad.admin, "season", "start", name="Spring")
    started = await outcome(handle, "Starting the season…")
    announced = only_embed(stack, await handle.wait_for_followup())
    board = run(stack, squad, squad.alex, "leaderboard", stat="kd")
    await private_outcome(board, "Ranking…")
    ranked = only_embed(stack, await board.wait_for_followup())
    results = run(stack, squad, squad.alex, "season", "results")
    await private_outcome(results, "Fetching results…")
    kept = only_embed(stack, await results.wait_for_followup())

    assert refused == "You need the Manage Server permission for that."
    assert started == "Season started."
    assert announced["title"] == "Season Spring has started"
    podium = [f"<@{m.user.id}>" for m in (squad.alex, squad.blake, squad.admin)]
    kd = fields(announced)["K/D"].splitlines()
    assert [line.split()[1] for line in kd] == podium
    assert ranked["title"] == "Leaderboard · K/D · All modes · Season Spring"
    assert ranked["description"].startswith("No one has 3 matches")
    assert kept["title"] == "Season results · Before seasons"
    assert fields(kept)["K/D"] == fields(announced)["K/D"]
    assert await database.db["seasons"].count_documents({"guild_id": guild}) == 1
