"""The command line's modules: no cycle among them, and ``vardag run`` starts without the
demo or the sandbox (they are imported only by ``vardag demo`` and ``vardag sandbox``)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_TOKEN

CLI = Path(__file__).resolve().parents[2] / "bot" / "cli"

NOTHING_OF_THE_DEMO = """
import sys
found = sorted(m for m in sys.modules if m.startswith(("bot.sandbox", "bot.demo")))
assert not found, found
"""

UP_TO_THE_NETWORK = """
import asyncio

from bot.cli import main, ops, runner
from bot.runtime.app import build_application
from bot.runtime.runner import open_runtime


async def build() -> None:
    settings = runner.load()
    async with open_runtime(settings) as runtime:
        build_application(runtime.services, settings.require_token())


asyncio.run(build())
"""


def python(code: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "VARDAG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite'}",
            "VARDAG_TELEGRAM_TOKEN": TEST_TOKEN,
            "VARDAG_LOG_LEVEL": "WARNING",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_the_command_line_imports_no_demo_and_no_sandbox(tmp_path: Path) -> None:
    python("import bot.cli.main\n" + NOTHING_OF_THE_DEMO, tmp_path)


def test_vardag_run_up_to_the_network_imports_no_demo_and_no_sandbox(tmp_path: Path) -> None:
    python(UP_TO_THE_NETWORK + NOTHING_OF_THE_DEMO, tmp_path)


def imported(module: Path) -> set[str]:
    """The ``bot.cli`` modules a module imports (``from bot.cli import x`` as ``bot.cli.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "bot.cli":
            found |= {f"bot.cli.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.cli."):
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("bot.cli.")}
    return found


def test_each_command_group_imports_only_the_shared_runner() -> None:
    for module in CLI.glob("*.py"):
        if module.stem in ("main", "__init__"):
            continue
        allowed = set() if module.stem == "runner" else {"bot.cli.runner"}
        assert imported(module) <= allowed, module.name
    assert "bot.cli.main" not in set().union(*(imported(m) for m in CLI.glob("*.py")))
