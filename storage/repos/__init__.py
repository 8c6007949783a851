"""Every query Vardag makes. Nothing outside ``storage`` writes SQL."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def first(session: AsyncSession, statement: Select[tuple[T]]) -> T | None:
    """The first row's single entity, typed (``session.scalar`` returns ``Any``)."""
    return (await session.scalars(statement)).first()


__all__ = ["first"]
