"""Text Debrief writes outside a live interaction is in the server's language, through
bootstrap() with fakes: whoever (or whatever request, in whatever language) set it off."""

from __future__ import annotations

from app.core.actors import Actor
from app.core.commands import CorrectMatch, LinkGamertag, ReplayMatchReply
from app.core.guilds import GuildConfig
from app.core.i18n import Language, speaking
from tests.support.factories import match_fields, raw_hardpoint
from tests.unit.core.test_digest_deliveries import World as DigestWorld
from tests.unit.core.test_match_replies import INTERACTION
from tests.unit.core.test_match_replies import World as ReplyWorld
from tests.unit.wiring import FakeAI, fake_ai, fake_bus, fake_dependencies

GUILD, OWNER = 1, 3


async def test_a_reply_replayed_by_the_outbox_consumer_debriefs_in_the_servers_language() -> None:
    world = ReplyWorld()
    await world.deps.guild_configs.save(GuildConfig(guild_id=GUILD, language=Language.SPANISH))
    owed = await world.owe()
    match = await world.deps.matches.add(
        match_fields(guild_id=GUILD, interaction_id=INTERACTION, user_id=OWNER)
    )

    await world.bus.handle(ReplayMatchReply(reply=owed))  # the consumer speaks no language

    assert world.ai.languages == [Language.SPANISH]
    debrief = await world.deps.debriefs.get_for_match(match.id)
    assert debrief is not None
    assert debrief.comparison.startswith("Primer")  # its numbers' words too, not "First"


async def test_a_correction_asked_in_english_rewrites_a_spanish_servers_debrief_in_spanish() -> (
    None
):
    deps, ai = fake_dependencies(), FakeAI()
    # No setting: Discord's language for the server, as the bot stored it.
    await deps.guild_configs.remember_discord_locale(GUILD, "es-ES")
    bus = fake_bus(deps, fake_ai(ai))
    match = await deps.matches.add(match_fields(guild_id=GUILD, user_id=OWNER))
    fixed = raw_hardpoint()
    fixed["player"]["kills"] = 35

    with speaking(Language.ENGLISH):  # a web visitor's Accept-Language, or a DM user's own
        await bus.handle(CorrectMatch(match_id=match.id, actor=Actor(OWNER), raw_stats=fixed))

    assert ai.languages == [Language.SPANISH]


async def test_a_digest_posted_on_request_follows_discords_language_for_the_server() -> None:
    ai = FakeAI()
    world = DigestWorld(ai=ai)
    await world.with_digest_channel()
    await world.deps.guild_configs.remember_discord_locale(GUILD, "es-419")
    await world.deps.matches.add(match_fields(guild_id=GUILD))
    await world.request_now()

    await world.consume()  # "post now" from the dashboard, replayed in no language

    assert ai.languages == [Language.SPANISH]


async def test_storing_discords_language_keeps_every_setting() -> None:
    deps = fake_dependencies()
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=7))

    await deps.guild_configs.remember_discord_locale(GUILD, "es-ES")

    config = await deps.guild_configs.get(GUILD)
    assert (config.digest_channel_id, config.spoken_language()) == (7, Language.SPANISH)


def test_the_setting_wins_over_discords_language_and_english_is_the_last_word() -> None:
    spanish_in_discord = GuildConfig(guild_id=GUILD, discord_locale="es-ES")
    assert spanish_in_discord.spoken_language() is Language.SPANISH
    set_english = spanish_in_discord.model_copy(update={"language": Language.ENGLISH})
    assert set_english.spoken_language() is Language.ENGLISH
    unspoken = GuildConfig(guild_id=GUILD, discord_locale="ja")
    assert unspoken.spoken_language() is Language.ENGLISH


async def test_an_admin_relinking_a_members_own_name_keeps_their_auto_record() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)
    member, admin = (
        Actor(OWNER, member_of=frozenset({GUILD})),
        Actor(9, admin_of=frozenset({GUILD})),
    )
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=member, gamertag="Ghost", auto_record=True))

    relinked = await bus.handle(
        LinkGamertag(guild_id=GUILD, actor=admin, gamertag="ghost", member_id=OWNER)
    )
    given_away = await bus.handle(
        LinkGamertag(guild_id=GUILD, actor=admin, gamertag="Ghost", member_id=4)
    )

    assert (relinked.user_id, relinked.auto_record) == (OWNER, True)
    assert (given_away.user_id, given_away.auto_record) == (4, False)  # theirs to choose
