"""Server-rendered SVG bar charts: no JavaScript charting, nothing fetched from elsewhere."""

from __future__ import annotations

from html import escape

from network.core.disclosure import HIDDEN


def bar_chart(rows: list[dict], label_hidden: str, width: int = 320, rtl: bool = False) -> str:
    """A small server-rendered SVG bar chart; hidden cells are drawn as a hatched empty bar. Right to
    left (Arabic, Dari), labels sit on the right and bars grow leftwards."""
    if rtl:
        return _mirrored(bar_chart(rows, label_hidden, width), width)
    bar, gap, label_w = 18, 8, 120
    height = len(rows) * (bar + gap) + gap
    top = max([r["count"] for r in rows if r["count"] is not HIDDEN] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-hidden="true">']
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        label = escape(row["label"][:18])
        parts.append(f'<text x="0" y="{y + 13}" font-size="11" fill="#1d2433">{label}</text>')
        if row["count"] is HIDDEN:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{width - label_w - 40}" height="{bar}" '
                         f'fill="none" stroke="#9aa1ad" stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{label_w + 6}" y="{y + 13}" font-size="10" fill="#5a6376">'
                         f'{escape(label_hidden)}</text>')
        else:
            length = (width - label_w - 40) * row["count"] / top
            parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="#2f5d62"/>')
            parts.append(f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" font-size="11" fill="#1d2433">'
                         f'{row["count"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _mirrored(svg: str, width: int) -> str:
    """The same chart drawn right to left: the drawing is mirrored, its text set upright again."""
    import re

    inner = svg[svg.index(">") + 1:svg.rindex("</svg>")]
    inner = re.sub(r'<text x="([\d.]+)"', lambda m: f'<text x="{width - float(m.group(1)):.1f}" text-anchor="end"', inner)
    inner = re.sub(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"',
                   lambda m: f'<rect x="{width - float(m.group(1)) - float(m.group(3)):.1f}" y="{m.group(2)}" '
                             f'width="{m.group(3)}"', inner)
    return svg[:svg.index(">") + 1] + inner + "</svg>"
