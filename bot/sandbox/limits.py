"""Rate limits (token buckets) and fault injection for the sandbox's Bot API.

Telegram answers a bot that sends too fast with ``429 Too Many Requests: retry after N``.
The sandbox keeps one bucket for the whole bot (about 30 messages a second) and one per
chat (about one message a second, with a small burst). Only methods that send or edit
messages count.

Faults are drawn from a seeded ``random.Random`` so a test run is repeatable.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Clock = Callable[[], float]
Fault = Literal["429", "500", "timeout"]

# Lower-case method names: those that send or edit a message.
MESSAGE_METHODS = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "sendvoice", "sendvideo", "sendaudio",
        "sendanimation", "sendsticker", "sendlocation", "sendvenue", "sendcontact",
        "sendvideonote", "sendmediagroup", "senddice", "sendpoll", "copymessage",
        "copymessages", "forwardmessage", "forwardmessages", "editmessagetext",
        "editmessagecaption", "editmessagemedia", "editmessagereplymarkup",
        "editmessagelivelocation",
    }
)  # fmt: skip


class TokenBucket:
    """``capacity`` tokens, refilled at ``rate`` tokens a second."""

    def __init__(self, rate: float, capacity: float, clock: Clock) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is there now)."""
        self._refill()
        if self._tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self._tokens) / self.rate

    def take(self) -> None:
        self._refill()
        self._tokens -= 1.0


@dataclass(frozen=True)
class LimitConfig:
    enabled: bool = True
    global_per_second: float = 30.0
    chat_per_second: float = 1.0
    chat_burst: int = 3

    @classmethod
    def from_json(cls, data: Mapping[str, Any], base: LimitConfig | None = None) -> LimitConfig:
        current = base or cls()
        return replace(
            current,
            enabled=bool(data.get("enabled", current.enabled)),
            global_per_second=float(data.get("global_per_second", current.global_per_second)),
            chat_per_second=float(data.get("chat_per_second", current.chat_per_second)),
            chat_burst=int(data.get("chat_burst", current.chat_burst)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "global_per_second": self.global_per_second,
            "chat_per_second": self.chat_per_second,
            "chat_burst": self.chat_burst,
        }


class RateLimiter:
    """A global bucket and one bucket per chat."""

    def __init__(self, config: LimitConfig | None = None, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self.config = config or LimitConfig()
        self._reset()

    def _reset(self) -> None:
        cfg = self.config
        self._global = TokenBucket(cfg.global_per_second, cfg.global_per_second, self._clock)
        self._chats: dict[int, TokenBucket] = {}

    def configure(self, config: LimitConfig) -> None:
        self.config = config
        self._reset()

    def acquire(self, chat_id: int) -> int | None:
        """Take a token for ``chat_id``: ``None`` when allowed, else retry_after seconds."""
        if not self.config.enabled:
            return None
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = TokenBucket(self.config.chat_per_second, self.config.chat_burst, self._clock)
            self._chats[chat_id] = chat
        wait = max(self._global.wait_time(), chat.wait_time())
        if wait > 0:
            return max(1, math.ceil(wait)) if math.isfinite(wait) else 3600
        self._global.take()
        chat.take()
        return None


@dataclass(frozen=True)
class FaultConfig:
    """Injected failures. Rates are probabilities in [0, 1] per affected call.

    ``methods`` are Bot API method names (any case); ``None`` means the methods that send,
    edit or copy messages. getUpdates is never affected unless named. ``delay_seconds``:
    every affected call is carried out at once but answered this much later (a slow but
    working Telegram: the message is there even if the caller stops waiting).
    """

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_timeout: float = 0.0
    timeout_seconds: float = 5.0
    seed: int = 0
    methods: frozenset[str] | None = field(default=None)
    delay_seconds: float = 0.0

    def affects(self, method: str) -> bool:
        names = MESSAGE_METHODS if self.methods is None else self.methods
        return method.lower() in {name.lower() for name in names}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultConfig:
        methods: Iterable[str] | None = data.get("methods")
        return cls(
            rate_429=float(data.get("rate_429", 0.0)),
            rate_500=float(data.get("rate_500", 0.0)),
            rate_timeout=float(data.get("rate_timeout", 0.0)),
            timeout_seconds=float(data.get("timeout_seconds", 5.0)),
            seed=int(data.get("seed", 0)),
            methods=None if methods is None else frozenset(str(m) for m in methods),
            delay_seconds=float(data.get("delay_seconds", 0.0)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "rate_429": self.rate_429,
            "rate_500": self.rate_500,
            "rate_timeout": self.rate_timeout,
            "timeout_seconds": self.timeout_seconds,
            "seed": self.seed,
            "methods": None if self.methods is None else sorted(self.methods),
            "delay_seconds": self.delay_seconds,
        }


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None) -> None:
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)

    def roll(self, method: str) -> Fault | None:
        """The fault to inject into this call of ``method``, if any."""
        cfg = self.config
        if not cfg.affects(method):
            return None
        if cfg.rate_429 <= 0 and cfg.rate_500 <= 0 and cfg.rate_timeout <= 0:
            return None
        draw = self._random.random()
        if draw < cfg.rate_429:
            return "429"
        if draw < cfg.rate_429 + cfg.rate_500:
            return "500"
        if draw < cfg.rate_429 + cfg.rate_500 + cfg.rate_timeout:
            return "timeout"
        return None
