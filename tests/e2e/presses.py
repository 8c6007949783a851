"""Co-workers pressing "✅ Klar" on a task card while a fault happens
(tests/e2e/test_handover_faults.py).

Each press goes as a person's would: through the sandbox (Telegram), as a webhook
update, to the balancer and an instance. A press is *answered* when the sandbox has seen
an ``answerCallbackQuery`` for it, timed from the press; its *effect* is the task marked
done in the database. A press is lost when its task is never marked done.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from bot.context import Services
from bot.i18n import Texts
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.telegram.rendered import Rendered
from bot.views.task_card import answer_rows
from storage.models import PlannedTask, TaskStatus
from tests.e2e.cluster import FIRST_ID

IN_TIME_SECONDS = 15.0  # Telegram refuses an answer to a press older than about this


@dataclass
class Press:
    telegram_id: int
    task_id: int
    query_id: str
    pressed_at: float
    answered_at: float | None = None

    @property
    def in_time(self) -> bool:
        answered = self.answered_at
        return answered is not None and answered - self.pressed_at <= IN_TIME_SECONDS


@dataclass(frozen=True)
class PressFigures:
    made: int
    in_time: int  # answered within IN_TIME_SECONDS
    late: int  # answered later, or not at all, but done in the database
    lost: int  # never done in the database
    slowest: float  # seconds from a press to its answer, the longest (answered ones)

    def __str__(self) -> str:
        return (
            f"{self.made} presses: {self.in_time} answered within {IN_TIME_SECONDS:.0f} s "
            f"(the slowest in {self.slowest:.1f} s), {self.late} answered late, "
            f"{self.lost} lost"
        )


@dataclass
class Pressers:
    sandbox: SandboxServer
    people: SandboxClient
    services: Services
    task_ids: list[int] = field(default_factory=list)  # co-worker n's task: task_ids[n]
    presses: list[Press] = field(default_factory=list)

    async def press_over(self, seconds: float, count: int) -> None:
        """``count`` co-workers press "✅ Klar", one after another, over ``seconds``."""
        for n in range(count):
            await self._press(n)
            await asyncio.sleep(seconds / count)

    async def _press(self, n: int) -> None:
        """Co-worker ``n`` presses "✅ Klar" on the card of their task (the card was
        opened earlier, before the fault: put in their chat as the bot had sent it)."""
        telegram_id, task_id = FIRST_ID + n, self.task_ids[n]
        buttons = answer_rows(Texts("sv"), PlannedTask(id=task_id))
        markup = Rendered(Markup("Vattna blommorna"), buttons).markup()
        assert markup is not None
        message = self.sandbox.state.add_message(
            telegram_id, from_bot=True, kind="text", text="Vattna blommorna",
            reply_markup=markup.to_dict(),
        )  # fmt: skip
        pressed_at = time.monotonic()
        query_id = await self.people.press(telegram_id, message.message_id, text="✅ Klar")
        self.presses.append(Press(telegram_id, task_id, query_id, pressed_at))

    async def watch(self) -> None:
        """Note when the sandbox first sees each press answered, until cancelled."""
        while True:
            now = time.monotonic()
            for press in self.presses:
                query = self.sandbox.state.callbacks.get(press.query_id)
                if press.answered_at is None and query is not None and query.answered:
                    press.answered_at = now
            await asyncio.sleep(0.05)

    async def done_in_database(self) -> set[int]:
        async with self.services.sessions() as session:
            done = await session.scalars(
                select(PlannedTask.id).where(
                    PlannedTask.id.in_([p.task_id for p in self.presses]),
                    PlannedTask.status == TaskStatus.DONE,
                )
            )
            return set(done)

    async def settled(self, seconds: float = 120.0) -> PressFigures:
        """Wait (at most ``seconds``) until every press has its effect and is answered;
        then the figures."""
        done: set[int] = set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = await self.done_in_database()
            answered = all(p.answered_at is not None for p in self.presses)
            if answered and len(done) == len(self.presses):
                break
            await asyncio.sleep(0.2)
        in_time = sum(1 for p in self.presses if p.in_time and p.task_id in done)
        lost = sum(1 for p in self.presses if p.task_id not in done)
        late = len(self.presses) - in_time - lost
        waits = [p.answered_at - p.pressed_at for p in self.presses if p.answered_at is not None]
        return PressFigures(len(self.presses), in_time, late, lost, max(waits, default=0.0))
