"""Dependencies that routes declare with Annotated aliases."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from app.core.bus import MessageBus
from app.shared.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


def get_bus(request: Request) -> MessageBus:
    return cast(MessageBus, request.app.state.bus)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
BusDep = Annotated[MessageBus, Depends(get_bus)]
