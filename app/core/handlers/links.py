"""/link and /unlink: members claim their on-screen names, admins settle conflicts."""

from __future__ import annotations

from app.core.actors import ensure_admin, ensure_member
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import LinkGamertag, UnlinkGamertag
from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.core.links import (
    MAX_LINKS_PER_MEMBER,
    GamertagLink,
    NotLinked,
    TooManyLinks,
    clean_gamertag,
    normalise_gamertag,
)
from app.core.ports import GamertagLinkRepository
from app.core.squad import wording

THEIRS_FULL = N_("That member already has {limit} linked names here; unlink one of theirs first.")


async def link_gamertag(
    cmd: LinkGamertag, *, emit: Emit, gamertag_links: GamertagLinkRepository, clock: Clock
) -> GamertagLink:
    ensure_member(cmd.actor, cmd.guild_id)
    name = clean_gamertag(cmd.gamertag)
    owner = cmd.actor.user_id if cmd.member_id is None else cmd.member_id
    assigning = owner != cmd.actor.user_id or cmd.member_id is not None
    if assigning:
        ensure_admin(cmd.actor, cmd.guild_id)
    if cmd.auto_record and owner != cmd.actor.user_id:
        raise DomainError(_(wording.AUTO_RECORD_IS_OWN))  # an opt-in is the member's own
    key = normalise_gamertag(name)
    auto_record = bool(cmd.auto_record)
    if assigning and cmd.auto_record is None:
        auto_record = await _kept_opt_in(gamertag_links, cmd.guild_id, key, owner)
    link = GamertagLink(
        guild_id=cmd.guild_id,
        user_id=owner,
        gamertag=name,
        key=key,
        linked_at=clock(),
        linked_by=cmd.actor.user_id if assigning else None,
        auto_record=auto_record,
    )
    # The repository checks the cap and links in one step, so racing /link calls cannot pass it.
    try:
        if assigning:
            return await gamertag_links.move(link)
        added = await gamertag_links.add(link)
    except TooManyLinks:
        if owner == cmd.actor.user_id:
            raise
        raise TooManyLinks(_(THEIRS_FULL, limit=MAX_LINKS_PER_MEMBER)) from None
    if cmd.auto_record is not None and added.auto_record != cmd.auto_record:
        # Linked before: only the opt-in changes; the name keeps its slot and its place.
        return await gamertag_links.move(added.model_copy(update={"auto_record": cmd.auto_record}))
    return added


async def _kept_opt_in(
    gamertag_links: GamertagLinkRepository, guild_id: int, key: str, owner: int
) -> bool:
    """An admin re-linking a name to the member who owns it changes nothing of theirs: their
    auto-record opt-in stays. A name given to someone else starts without one (theirs to
    choose)."""
    current = await gamertag_links.owner_of(guild_id, key)
    return current is not None and current.user_id == owner and current.auto_record


async def unlink_gamertag(
    cmd: UnlinkGamertag, *, emit: Emit, gamertag_links: GamertagLinkRepository
) -> None:
    ensure_member(cmd.actor, cmd.guild_id)
    key = normalise_gamertag(cmd.gamertag)
    # An admin unlinks whoever owns it; a member only their own.
    only_of = None if cmd.actor.is_admin_of(cmd.guild_id) else cmd.actor.user_id
    if not await gamertag_links.remove(cmd.guild_id, key, only_of):
        raise NotLinked
