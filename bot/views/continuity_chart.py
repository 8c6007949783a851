"""The continuity figure as a PNG chart: one horizontal bar per co-worker of a group.

Drawn with matplotlib's Agg canvas on a ``Figure`` of its own (no pyplot, no global
state, no display, no fonts from outside matplotlib). Rendering takes a moment of CPU:
call :func:`continuity_chart` off the event loop (``asyncio.to_thread``).

Bars over the goal differ in colour *and* hatching, and every bar carries its number,
so the chart reads without colour too.
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from babel.dates import format_interval
from babel.numbers import format_decimal

from bot.i18n import PlainTexts, Texts
from bot.rules.continuity import DAYS, GOAL, GroupFigures

if TYPE_CHECKING:
    from matplotlib.lines import Line2D

WIDTH_PX = 800
DPI = 100
MAX_HEIGHT_PX = 2000
MAX_NAME = 24
WITHIN = "#4c72b0"  # blue
OVER = "#dd8452"  # orange, hatched
LINES = "#333333"

# matplotlib's text layout shares caches between figures; one chart at a time is plenty.
_lock = threading.Lock()


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def chart_caption(t: Texts, group: GroupFigures, today: date) -> str:
    """Plain text: the group and the 14 days the figure covers."""
    period = format_interval(today - timedelta(days=DAYS - 1), today, "yMMMMd", locale=t.language)
    return t("continuity.chart_caption", group=group.group.name, period=period)


def continuity_chart(t: Texts | PlainTexts, group: GroupFigures) -> bytes:
    """A PNG, ``WIDTH_PX`` wide, of a group with at least one co-worker."""
    # matplotlib takes most of a second to import: only when a chart is drawn.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    if not group.figures or group.average is None:
        raise ValueError("a group without co-workers has no chart")
    figures = sorted(group.figures, key=lambda f: (-f.staff, f.coworker.display_name))
    average = format_decimal(round(group.average, 1), locale=t.language)
    count = len(figures)
    height_px = min(MAX_HEIGHT_PX, 200 + 30 * count)
    font = 10 if (height_px - 200) / count >= 20 else 7

    with _lock:
        figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)  # the figure draws on Agg, whatever the default backend
        axes = figure.add_subplot()
        rows = list(range(count))
        over = [f.staff > GOAL for f in figures]
        bars = axes.barh(
            rows,
            [f.staff for f in figures],
            height=0.7,
            color=[OVER if o else WITHIN for o in over],
            edgecolor=LINES,
            linewidth=0.6,
        )
        for bar, is_over in zip(bars, over, strict=True):
            if is_over:
                bar.set_hatch("///")
        for row, f in zip(rows, figures, strict=True):
            axes.annotate(
                str(f.staff),
                (f.staff, row),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=font,
            )
        # Names are plain text: parse_math=False, or a "$" would start TeX.
        names = [_short(f.coworker.display_name) for f in figures]
        axes.set_yticks(rows, names, fontsize=font, parse_math=False)
        axes.set_ylim(count - 0.5, -0.5)  # the first (highest) figure on top, as in the text
        worst = max(f.staff for f in figures)
        axes.set_xlim(0, max(worst, GOAL) + 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.axvline(GOAL, color=LINES, linestyle="--", linewidth=1.5)
        axes.axvline(group.average, color=LINES, linestyle=":", linewidth=1.2)
        axes.set_xlabel(t.plain("continuity.chart_axis", days=DAYS))
        title = t.plain("continuity.chart_title", group=group.group.name, average=average)
        axes.set_title(title, parse_math=False)
        axes.spines[["top", "right"]].set_visible(False)
        legend = [
            Patch(facecolor=WITHIN, edgecolor=LINES, label=t.plain("continuity.chart_within")),
            Patch(
                facecolor=OVER, edgecolor=LINES, hatch="///", label=t.plain("continuity.chart_over")
            ),
            _line("--", t.plain("continuity.chart_goal", goal=GOAL)),
            _line(":", t.plain("continuity.chart_average", average=average)),
        ]
        figure.legend(
            handles=legend, loc="outside lower center", ncols=4, fontsize=8, frameon=False
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _line(style: Literal["--", ":"], label: str) -> Line2D:
    from matplotlib.lines import Line2D

    return Line2D([0], [0], color=LINES, linestyle=style, linewidth=1.5, label=label)
