"""A small TCP proxy between one Vardag instance and PostgreSQL, which a test can cut,
flap and stall (tests/e2e/test_handover_faults.py).

* ``cut()``: every connection through it is aborted and new ones are refused (the
  database "gone": the server sees the sockets close, so it frees the lock at once).
* ``stall()``: nothing gets through either way, and nothing is closed: a partition.
  The server sees an idle session, the instance a call that never returns.
* ``restore()``: the way is open again.
"""

from __future__ import annotations

import asyncio
import contextlib


class Proxy:
    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self._flowing.set()
        self._abort_all()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def cut(self) -> None:
        self._refusing = True
        self._flowing.set()
        self._abort_all()

    def stall(self) -> None:
        self._flowing.clear()

    def restore(self) -> None:
        self._refusing = False
        self._flowing.set()

    def _abort_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._flowing.wait()  # a partition: the connection hangs, unanswered
        if self._refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await self._flowing.wait()  # stalled: hold the bytes
                target.write(data)
                await target.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            await self._flowing.wait()  # a partition closes nothing either
            self._writers.discard(target)
            target.transport.abort()
