"""Web users and their refresh tokens in MongoDB."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from app.core.accounts import RefreshToken, RefreshTokenFields, User, UserFields
from app.core.ports import RefreshTokenRepository, UserRepository
from app.shared.db.documents import RefreshTokenDocument, UserDocument
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import ID_INDEX, object_id, raw_to_domain, to_domain


class BeanieUserRepository(UserRepository):
    async def upsert(self, user: UserFields) -> User:
        fields = user.model_dump(mode="python")
        created_at = fields.pop("created_at")
        raw = await UserDocument.get_pymongo_collection().find_one_and_update(
            {"discord_id": user.discord_id},
            {"$set": fields, "$setOnInsert": {"created_at": created_at}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
            **index_hint("discord_unique"),
        )
        return raw_to_domain(raw, User)

    async def get_by_discord_id(self, discord_id: int) -> User | None:
        document = await UserDocument.find_one(
            {"discord_id": discord_id}, **index_hint("discord_unique")
        )
        return to_domain(document, User) if document else None


class BeanieRefreshTokenRepository(RefreshTokenRepository):
    async def add(self, token: RefreshTokenFields) -> RefreshToken:
        document = RefreshTokenDocument.model_validate(token.model_dump())
        await document.insert()
        return to_domain(document, RefreshToken)

    async def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        document = await RefreshTokenDocument.find_one(
            {"token_hash": token_hash}, **index_hint("hash_unique")
        )
        return to_domain(document, RefreshToken) if document else None

    async def mark_used(self, token_id: str, now: datetime) -> bool:
        oid = object_id(token_id)
        if oid is None:
            return False
        # One atomic conditional update: of two concurrent refreshes, exactly one wins.
        result = await RefreshTokenDocument.get_pymongo_collection().update_one(
            {"_id": oid, "used_at": None, "revoked_at": None},
            {"$set": {"used_at": now}},
            **index_hint(ID_INDEX),
        )
        return result.modified_count == 1

    async def revoke_family(self, family_id: str, now: datetime) -> int:
        result = await RefreshTokenDocument.get_pymongo_collection().update_many(
            {"family_id": family_id, "revoked_at": None},
            {"$set": {"revoked_at": now}},
            **index_hint("family"),
        )
        return result.modified_count

    async def is_family_active(self, family_id: str) -> bool:
        # Runs for authenticated requests (behind a short cache): one index lookup, _id only.
        raw = await RefreshTokenDocument.get_pymongo_collection().find_one(
            {"family_id": family_id, "revoked_at": None},
            projection={"_id": 1},
            **index_hint("family_live"),
        )
        return raw is not None
