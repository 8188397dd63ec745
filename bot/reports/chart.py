"""Monthly activity chart: one stacked bar per village, a segment per activity type, for phones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bot import messages
from bot.ordering import branch_key, place_key
from bot.reports.parsing import TYPE_NAMES
from bot.reports.rows import ReportRow

# Fonts that carry Chinese glyphs, in order of preference; matplotlib's default has none.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
WIDTH_IN = 6.0
# above this many branches a bar each is too long a strip for a phone: one bar per 乡镇
COUNTY_SCALE = 30
DPI = 150
# A phone shows the 900-pixel chart about 345 pixels wide (0.38 of it): a label stays 12 px
# there at 15 pt. Every text of the chart is sized from this.
FONT_PT = 15
NOTE_CHARS = 30  # characters per line of the note under a county chart, at FONT_PT - 2


class NoCJKFont(RuntimeError):
    """No installed font can draw Chinese; the chart would show boxes."""


def find_cjk_font() -> str:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise NoCJKFont()


def draw_monthly_chart(
    rows: Sequence[ReportRow],
    path: Path,
    *,
    title: str,
    branches: Sequence[tuple[str | None, str]] = (),
) -> Path:
    """One bar per branch, in a fixed order (乡镇, then 村; never by count: no rankings),
    branches with no activity included. Above COUNTY_SCALE branches, one bar per 乡镇 and
    the list of branches with no 主题党日 this month instead."""
    known = {(t or "", v) for t, v in branches} | {(r.township or "", r.village) for r in rows}
    if len(known) > COUNTY_SCALE:
        return _draw_county(rows, path, title=title, branches=sorted(known, key=branch_key))
    ordered = sorted(known, key=branch_key)
    townships = {t for t, _ in ordered}
    labels = [v if len(townships) == 1 else f"{t} {v}".strip() for t, v in ordered]
    counts: Counter[tuple[tuple[str, ...], str]] = Counter(
        ((r.township or "", r.village), r.type) for r in rows
    )
    return _draw_bars(path, title, labels, ordered, counts, empty_note=messages.CHART_EMPTY)


def _draw_county(
    rows: Sequence[ReportRow], path: Path, *, title: str, branches: list[tuple[str, str]]
) -> Path:
    party_day = {(r.township or "", r.village) for r in rows if r.type == "主题党日"}
    missing = [f"{t} {v}".strip() for t, v in branches if (t, v) not in party_day]
    townships = sorted({t for t, _ in branches}, key=place_key)
    counts: Counter[tuple[tuple[str, ...], str]] = Counter(
        ((r.township or "",), r.type) for r in rows
    )
    keys = [(t,) for t in townships]
    note = messages.CHART_NO_PARTY_DAY.format(n=len(missing), names="、".join(missing) or "无")
    labels = [t or messages.CHART_NO_TOWNSHIP for t in townships]
    return _draw_bars(path, title, labels, keys, counts, note=note)


def _draw_bars(
    path: Path,
    title: str,
    labels: list[str],
    keys: Sequence[tuple[str, ...]],
    counts: Counter[tuple[tuple[str, ...], str]],
    *,
    empty_note: str = "",
    note: str = "",
) -> Path:
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = find_cjk_font()
    types = [name for name in TYPE_NAMES if any(t == name for _, t in counts)]
    note_lines = textwrap.wrap(note, NOTE_CHARS) if note else []
    line_in = FONT_PT / 72 * 1.35
    note_in = line_in * len(note_lines) + (0.15 if note_lines else 0)
    height = max(3.5, 0.55 * len(labels) + 2.8 + note_in)
    with plt.rc_context(
        {
            "font.family": font,
            "axes.unicode_minus": False,
            "font.size": FONT_PT,
            "xtick.labelsize": FONT_PT - 2,
            "ytick.labelsize": FONT_PT,
        }
    ):
        figure, axes = plt.subplots(figsize=(WIDTH_IN, height), dpi=DPI)
        positions = list(range(len(labels)))
        left = [0] * len(labels)
        colours = plt.get_cmap("tab10")
        for index, name in enumerate(types):
            values = [counts[(key, name)] for key in keys]
            axes.barh(positions, values, left=left, label=name, color=colours(index % 10))
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in enumerate(left):
            shown = str(total) if total else messages.CHART_NONE
            axes.text(total + 0.05, y, shown, va="center", fontsize=FONT_PT - 2)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first 乡镇/村 at the top, as in the 台账
        legend_rows = -(-len(types) // 3)
        # room above the bars for the legend's rows
        axes.set_title(title, fontsize=FONT_PT + 1, pad=8 + 24 * legend_rows if types else 6)
        axes.set_xlabel("活动次数")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        if types:  # the legend above the bars: it stays in view however long the list
            axes.legend(
                fontsize=FONT_PT - 2,
                loc="lower center",
                bbox_to_anchor=(0.5, 1.0),
                ncol=min(len(types), 3),
                frameon=False,
            )
        if not labels:
            axes.text(0.5, 0.5, empty_note, ha="center", va="center", transform=axes.transAxes)
            axes.set_yticks([])
        if note_lines:
            figure.text(0.02, 0.01, "\n".join(note_lines), fontsize=FONT_PT - 2, va="bottom")
        figure.tight_layout(rect=(0, note_in / height, 1, 1))
        figure.savefig(path)
        plt.close(figure)
    return path
