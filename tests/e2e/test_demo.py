"""``vardag demo``: the seeded group comes alive, and a person can be acted from the CLI."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.demo.run import demo_world
from bot.sandbox.client import SandboxClient

KIM, SARA = 1001, 1002


def act(*args: str) -> str:
    result = CliRunner().invoke(cli, ["sandbox", *args])
    assert result.exit_code == 0, result.output
    return result.output


async def test_demo_morning_and_acting_as_kim(tmp_path: Path) -> None:
    database = str(tmp_path / "demo.sqlite")
    async with (
        demo_world(port=0, database=database, lead=timedelta(seconds=1)) as (sandbox, _),
        SandboxClient(sandbox.url) as people,
    ):
        kims = await people.wait_for(KIM, lambda m: m.text.startswith("God morgon Kim!"))
        assert kims.buttons() == [
            "1. Vattna blommorna",
            "2. Packa kaffepaket",
            "🙋 Jag behöver hjälp",
        ]
        assert "2. Packa kaffepaket (ny) kl 13:00" in kims.text
        saras = await people.wait_for(SARA, lambda m: m.text.startswith("God morgon Sara!"))
        assert saras.buttons() == [
            "1. Torka av borden",
            "2. Ta emot leverans",
            "🙋 Jag behöver hjälp",
        ]

        await asyncio.to_thread(act, "press", "kim", "1. Vattna blommorna", "--url", sandbox.url)
        card = await people.wait_for(KIM, lambda m: m.text.startswith("Vattna blommorna"))
        assert "1. Hämta vattenkannan i förrådet." in card.text
        shown = await asyncio.to_thread(act, "show", "kim", "--url", sandbox.url)
        assert "[ ✅ Klar ]" in shown and "God morgon Kim!" in shown
    assert await asyncio.to_thread(Path(database).exists)
