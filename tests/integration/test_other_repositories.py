"""Debriefs, server settings, users, refresh tokens and the outbox against MongoDB."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.core.accounts import GuildMembership
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.guilds import AskScope, GuildConfig
from app.core.outbox import OutboxStatus
from app.shared.db.repositories import (
    BeanieDebriefRepository,
    BeanieGuildConfigRepository,
    BeanieOutboxRepository,
    BeanieRefreshTokenRepository,
    BeanieUserRepository,
)
from tests.support.factories import T0, outbox_fields, refresh_token_fields, user_fields

pytestmark = pytest.mark.usefixtures("database")


def debrief(match_id: str = "m1", headline: str = "Won the hill war") -> DebriefFields:
    return DebriefFields(
        match_id=match_id,
        guild_id=111,
        user_id=333,
        headline=headline,
        strengths=["Hill time"],
        to_work_on=["Trading deaths"],
        source=DebriefSource.AI,
        model="gemini-2.5-flash",
        prompt_tokens=900,
        output_tokens=120,
        created_at=T0,
    )


async def test_debrief_save_get_replace_delete() -> None:
    debriefs = BeanieDebriefRepository()
    first = await debriefs.save(debrief())
    assert await debriefs.get_for_match("m1") == first

    replaced = await debriefs.save(debrief(headline="Corrected: still won"))
    assert replaced.id == first.id and replaced.headline == "Corrected: still won"

    await debriefs.delete_for_match("m1")
    assert await debriefs.get_for_match("m1") is None


async def test_guild_config_defaults_then_saved_values() -> None:
    configs = BeanieGuildConfigRepository()
    assert await configs.get(111) == GuildConfig(guild_id=111)

    changed = GuildConfig(guild_id=111, digest_channel_id=5, ask_scope=AskScope.ME, updated_at=T0)
    assert await configs.save(changed) == changed
    assert await configs.save(changed.model_copy(update={"ask_cooldown_s": 60})) != changed
    assert (await configs.get(111)).ask_cooldown_s == 60
    assert await configs.get(222) == GuildConfig(guild_id=222)


class LosesTheFirstUpsert(BeanieGuildConfigRepository):
    """The bot's locale write inserts the server's document while this save's upsert is under
    way; the save's upsert then comes back with no document, as SecantusDB answers it."""

    def __init__(self) -> None:
        self.races = 1

    async def _replace(self, config: GuildConfig) -> GuildConfig:
        if self.races:
            self.races -= 1
            await self.remember_discord_locale(config.guild_id, "es-ES")
            raise LookupError("expected a document from the database, got none")
        return await super()._replace(config)


async def test_a_first_save_that_loses_its_upsert_to_the_locale_write_still_saves() -> None:
    configs = LosesTheFirstUpsert()
    changed = GuildConfig(guild_id=5000, ask_cooldown_s=42, updated_at=T0)

    saved = await configs.save(changed)

    assert saved.ask_cooldown_s == 42
    assert (await configs.get(5000)).ask_cooldown_s == 42


async def test_a_first_save_racing_the_locale_write_saves() -> None:
    configs = BeanieGuildConfigRepository()
    for guild_id in range(5100, 5120):
        changed = GuildConfig(guild_id=guild_id, ask_cooldown_s=42, updated_at=T0)

        saved, _ = await asyncio.gather(
            configs.save(changed), configs.remember_discord_locale(guild_id, "es-ES")
        )

        assert saved.ask_cooldown_s == 42


async def test_user_upsert_keeps_creation_time_and_refreshes_guilds() -> None:
    users = BeanieUserRepository()
    created = await users.upsert(user_fields())
    later = T0 + timedelta(days=3)

    updated = await users.upsert(
        user_fields(
            created_at=later,
            last_login_at=later,
            guilds=[GuildMembership(guild_id=111, name="Squad", permissions=0x20)],
        )
    )

    assert updated.id == created.id
    assert updated.created_at == T0
    assert updated.last_login_at == later
    assert updated.guilds[0].guild_id == 111
    assert await users.get_by_discord_id(333) == updated
    assert await users.get_by_discord_id(444) is None


async def test_refresh_token_is_spent_exactly_once() -> None:
    tokens = BeanieRefreshTokenRepository()
    token = await tokens.add(refresh_token_fields(token_hash="h1"))
    assert await tokens.find_by_hash("h1") == token
    assert await tokens.find_by_hash("nope") is None

    results = await asyncio.gather(*(tokens.mark_used(token.id, T0) for _ in range(4)))

    assert sorted(results) == [False, False, False, True]
    assert await tokens.mark_used("bad-id", T0) is False


async def test_revoking_a_family_revokes_every_member_once() -> None:
    tokens = BeanieRefreshTokenRepository()
    members = [await tokens.add(refresh_token_fields(family_id="f")) for _ in range(3)]
    outsider = await tokens.add(refresh_token_fields(family_id="other"))

    assert await tokens.revoke_family("f", T0) == 3
    assert await tokens.revoke_family("f", T0) == 0
    for member in members:
        assert await tokens.mark_used(member.id, T0) is False
    assert await tokens.mark_used(outsider.id, T0) is True


async def test_a_family_is_active_until_revoked_even_after_rotations() -> None:
    tokens = BeanieRefreshTokenRepository()
    spent = await tokens.add(refresh_token_fields(family_id="f"))
    await tokens.mark_used(spent.id, T0)
    await tokens.add(refresh_token_fields(family_id="f"))
    await tokens.add(refresh_token_fields(family_id="other"))

    assert await tokens.is_family_active("f")
    await tokens.revoke_family("f", T0)
    assert not await tokens.is_family_active("f")
    assert await tokens.is_family_active("other")
    assert not await tokens.is_family_active("never-issued")


async def test_outbox_enqueue_is_idempotent_per_dedupe_key() -> None:
    outbox = BeanieOutboxRepository()
    first = await outbox.enqueue(outbox_fields(dedupe_key="reply:1"))
    again = await outbox.enqueue(outbox_fields(dedupe_key="reply:1", payload={"other": 1}))

    assert again == first
    assert await outbox.get(first.id) == first
    assert await outbox.get("nope") is None
    assert await outbox.find("reply:1") == first
    assert await outbox.find("reply:2") is None


async def test_outbox_claim_leases_oldest_due_message_of_the_kinds_asked() -> None:
    outbox = BeanieOutboxRepository()
    late = await outbox.enqueue(outbox_fields(available_at=T0 + timedelta(seconds=5)))
    early = await outbox.enqueue(outbox_fields(available_at=T0 - timedelta(seconds=5)))
    await outbox.enqueue(
        outbox_fields(kind="bot.post_digest", available_at=T0 - timedelta(minutes=1))
    )
    lease = timedelta(seconds=30)

    claimed = await outbox.claim_due(T0, lease, ["discord.followup"])
    assert claimed is not None and claimed.id == early.id
    assert claimed.attempts == 1 and claimed.available_at == T0 + lease
    # Leased: nobody else gets it; the later one is not due yet.
    assert await outbox.claim_due(T0, lease, ["discord.followup"]) is None

    reclaimed = await outbox.claim_due(T0 + lease, lease, ["discord.followup"])
    assert reclaimed is not None and {reclaimed.id} <= {early.id, late.id}


async def test_outbox_concurrent_claims_never_hand_one_message_out_twice() -> None:
    outbox = BeanieOutboxRepository()
    for _ in range(5):
        await outbox.enqueue(outbox_fields())

    claims = await asyncio.gather(
        *(outbox.claim_due(T0, timedelta(minutes=1), ["discord.followup"]) for _ in range(8))
    )

    ids = [c.id for c in claims if c is not None]
    assert len(ids) == 5 and len(set(ids)) == 5


async def test_outbox_delivery_retry_and_expiry() -> None:
    outbox = BeanieOutboxRepository()
    delivered = await outbox.enqueue(outbox_fields())
    retried = await outbox.enqueue(outbox_fields())
    overdue = await outbox.enqueue(outbox_fields(expires_at=T0 + timedelta(seconds=1)))

    await outbox.mark_delivered(delivered.id, T0)
    await outbox.retry_later(retried.id, T0 + timedelta(seconds=10), "Discord answered 503")

    assert (await outbox.get(delivered.id)).status is OutboxStatus.DELIVERED
    after_retry = await outbox.get(retried.id)
    assert after_retry.available_at == T0 + timedelta(seconds=10)
    assert after_retry.last_error == "Discord answered 503"
    assert await outbox.expire_overdue(T0 + timedelta(minutes=1)) == 1
    assert (await outbox.get(overdue.id)).status is OutboxStatus.EXPIRED
    assert (await outbox.get(delivered.id)).status is OutboxStatus.DELIVERED


async def test_an_outbox_lease_is_extended_without_a_note_and_only_while_pending() -> None:
    outbox = BeanieOutboxRepository()
    working = await outbox.enqueue(outbox_fields())
    sent = await outbox.enqueue(outbox_fields())
    await outbox.mark_delivered(sent.id, T0)

    await outbox.extend_lease(working.id, T0 + timedelta(minutes=5))
    await outbox.extend_lease(sent.id, T0 + timedelta(minutes=5))

    extended = await outbox.get(working.id)
    assert extended.available_at == T0 + timedelta(minutes=5)
    assert extended.last_error is None, "renewing a lease is not an error"
    assert (await outbox.get(sent.id)).available_at == sent.available_at


async def test_guild_configs_due_for_their_digest() -> None:
    configs = BeanieGuildConfigRepository()
    due = GuildConfig(guild_id=1, digest_channel_id=10, digest_weekday=1, digest_hour_utc=18)
    await configs.save(due)
    await configs.save(GuildConfig(guild_id=2, digest_weekday=1, digest_hour_utc=18))  # no channel
    await configs.save(due.model_copy(update={"guild_id": 3, "digest_hour_utc": 19}))

    assert await configs.with_digest_at(1, 18) == [due]
    assert await configs.with_digest_at(2, 18) == []
