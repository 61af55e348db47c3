"""In-memory linked gamertags and seasons, with the unique keys the database enforces."""

from __future__ import annotations

from collections.abc import Collection

from app.core.links import MAX_LINKS_PER_MEMBER, GamertagLink, GamertagTaken, TooManyLinks
from app.core.ports import GamertagLinkRepository, SeasonRepository
from app.core.seasons import Season, SeasonFields, SeasonRace


class FakeGamertagLinks(GamertagLinkRepository):
    def __init__(self) -> None:
        self.links: dict[tuple[int, str], GamertagLink] = {}

    async def add(self, link: GamertagLink) -> GamertagLink:
        owner = self.links.get((link.guild_id, link.key))
        if owner is None:
            await self._ensure_room(link)
            self.links[(link.guild_id, link.key)] = link
            return link
        if owner.user_id != link.user_id:
            raise GamertagTaken(owner.user_id, link.gamertag)
        return owner

    async def move(self, link: GamertagLink) -> GamertagLink:
        owner = self.links.get((link.guild_id, link.key))
        if owner is None or owner.user_id != link.user_id:
            await self._ensure_room(link)
        self.links[(link.guild_id, link.key)] = link
        return link

    async def _ensure_room(self, link: GamertagLink) -> None:
        if len(await self.of_member(link.guild_id, link.user_id)) >= MAX_LINKS_PER_MEMBER:
            raise TooManyLinks

    async def owner_of(self, guild_id: int, key: str) -> GamertagLink | None:
        return self.links.get((guild_id, key))

    async def owners_of(self, guild_id: int, keys: Collection[str]) -> list[GamertagLink]:
        return [self.links[guild_id, key] for key in set(keys) if (guild_id, key) in self.links]

    async def has_auto_record_besides(self, guild_id: int, user_id: int) -> bool:
        return any(
            link.guild_id == guild_id and link.auto_record and link.user_id != user_id
            for link in self.links.values()
        )

    async def of_member(self, guild_id: int, user_id: int) -> list[GamertagLink]:
        held = [
            link
            for link in self.links.values()
            if (link.guild_id, link.user_id) == (guild_id, user_id)
        ]
        return sorted(held, key=lambda link: link.linked_at)

    async def remove(self, guild_id: int, key: str, user_id: int | None) -> bool:
        link = self.links.get((guild_id, key))
        if link is None or (user_id is not None and link.user_id != user_id):
            return False
        del self.links[(guild_id, key)]
        return True


class FakeSeasons(SeasonRepository):
    def __init__(self) -> None:
        self.seasons: list[Season] = []

    async def start(self, season: SeasonFields) -> Season:
        same_key = [
            s
            for s in self.seasons
            if (s.guild_id, s.idempotency_key) == (season.guild_id, season.idempotency_key)
        ]
        if same_key:
            return same_key[0]
        if any((s.guild_id, s.number) == (season.guild_id, season.number) for s in self.seasons):
            raise SeasonRace
        started = Season(id=f"season-{len(self.seasons) + 1}", **season.model_dump())
        self.seasons.append(started)
        return started

    async def current(self, guild_id: int) -> Season | None:
        mine = await self.all_of(guild_id)
        return mine[0] if mine else None

    async def all_of(self, guild_id: int) -> list[Season]:
        mine = [s for s in self.seasons if s.guild_id == guild_id]
        return sorted(mine, key=lambda s: s.number, reverse=True)
