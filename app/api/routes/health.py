"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from app import __version__
from app.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = __version__


class Readiness(BaseModel):
    status: Literal["ready", "unavailable"]
    database: Literal["ok", "unreachable"]


@router.get("/healthz")
async def healthz() -> Liveness:
    """The process is up. Says nothing about its dependencies."""
    return Liveness()


@router.get("/readyz", responses={503: {"model": Readiness}})
async def readyz(runtime: RuntimeDep, response: Response) -> Readiness:
    """Ready to serve: the database answers."""
    if await runtime.database.ping():
        return Readiness(status="ready", database="ok")
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(status="unavailable", database="unreachable")
