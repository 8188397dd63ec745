"""Monthly activity chart: one stacked bar per village, a segment per activity type, for phones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

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
DPI = 150


class NoCJKFont(RuntimeError):
    """No installed font can draw Chinese; the chart would show boxes."""


def find_cjk_font() -> str:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise NoCJKFont()


def draw_monthly_chart(rows: Sequence[ReportRow], path: Path, *, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = find_cjk_font()
    counts = Counter((row.village, row.type) for row in rows)
    totals = Counter(row.village for row in rows)
    villages = sorted(totals, key=lambda v: (totals[v], v))  # largest at the top
    types = [name for name in TYPE_NAMES if any(t == name for _, t in counts)]
    height = max(3.0, 0.38 * len(villages) + 2.2)
    with plt.rc_context({"font.family": font, "axes.unicode_minus": False}):
        figure, axes = plt.subplots(figsize=(WIDTH_IN, height), dpi=DPI)
        left = [0] * len(villages)
        colours = plt.get_cmap("tab10")
        for index, name in enumerate(types):
            values = [counts[(village, name)] for village in villages]
            axes.barh(villages, values, left=left, label=name, color=colours(index % 10))
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in enumerate(left):
            axes.text(total + 0.05, y, str(total), va="center", fontsize=9)
        axes.set_title(title, fontsize=12)
        axes.set_xlabel("活动次数")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        if types:
            axes.legend(
                fontsize=8,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.12 if len(villages) > 4 else -0.2),
                ncol=min(len(types), 4),
                frameon=False,
            )
        if not villages:
            axes.text(
                0.5, 0.5, "本月暂无活动记录", ha="center", va="center", transform=axes.transAxes
            )
            axes.set_yticks([])
        figure.tight_layout()
        figure.savefig(path)
        plt.close(figure)
    return path
