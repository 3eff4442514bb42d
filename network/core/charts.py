"""Server-rendered SVG bar charts: no JavaScript charting, nothing fetched from elsewhere.

The server cannot measure text, so label widths are estimated generously per character and the
chart is laid out around them: the label column fits the longest label (long ones wrap between
words, never inside one), the figures get a column of their own, and a hidden cell's label wraps
inside its dashed frame. Right to left (Arabic, Dari) the chart is drawn for that direction, not
mirrored afterwards, so every text stays upright and inside the frame.
"""

from __future__ import annotations

import unicodedata
from html import escape

from network.core import i18n
from network.core.disclosure import HIDDEN

LABEL_SIZE, HIDDEN_SIZE = 11, 10
LINE = 1.45  # line height, in font sizes: Arabic and Persian fonts stand taller than Latin ones
BAR, GAP, PAD, EDGE = 18, 10, 6, 2
INK, MUTED, BAR_FILL, FRAME = "#1d2433", "#5a6376", "#2f5d62", "#9aa1ad"


def _char_width(char: str) -> float:
    """A generous width in font sizes: too wide wastes a little room, too narrow cuts a label."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.05
    if char in " .,:;'!|il·":
        return 0.36
    if char.isupper() or char in "mwMW@%—":
        return 0.86
    return 0.64


def text_width(text: str, size: float) -> float:
    return sum(_char_width(c) for c in text) * size


def _wrap(text: str, room: float, size: float) -> list[str]:
    """Lines of at most `room` wide, broken between words; a word longer than the room has a line
    of its own (the caller makes the room wide enough for it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _figure(count, locale: str | None) -> str:
    return i18n.format_number(count, locale or "en")


def _label(text: str, locale: str | None) -> str:
    # Scale points ("1" to "5") are numbers, written in the page's digits; other labels are
    # people's words, left as written.
    return i18n.localise_digits(text, locale) if locale and text.isascii() and text.isdigit() else text


# First-strong isolates: each line is ordered by its own first letter, so "Mobile data ·" keeps
# its dot at its end in a right-to-left chart, while the chart's direction still places it.
FSI, PDI = "\u2068", "\u2069"


def _lines(x: float, top: float, lines: list[str], size: float, fill: str, extra: str = "") -> str:
    """Lines of text from `top`; anchored at their start, which the svg's direction puts on the left
    (left to right) or on the right (right to left)."""
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + size * (LINE * i + 1.05):.1f}">{FSI}{escape(line)}{PDI}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text font-size="{size}" fill="{fill}" text-anchor="start"{extra}>{spans}</text>'


def bar_chart(rows: list[dict], label_hidden: str, width: int = 320, rtl: bool = False, *,
              locale: str | None = None) -> str:
    """A small SVG bar chart of rows {"label", "count", optional "figure"}; a hidden cell (count
    None) is a dashed empty frame holding `label_hidden`. With `locale`, the figures use its digits
    and the chart its direction (right to left for ar and fa)."""
    rtl = rtl or (locale is not None and i18n.direction(locale) == "rtl")
    labels = [_label(str(row["label"]), locale) for row in rows]
    # A row may bring its figure written already (an amount of money, say); else its count.
    figures = ["" if row["count"] is HIDDEN else str(row.get("figure") or _figure(row["count"], locale))
               for row in rows]

    # The columns: figures as wide as the widest, labels as wide as the longest up to 40% of the
    # chart (up to half for one long word), the bars in the rest. A word longer still is set
    # smaller, in its own label only.
    figure_w = max([text_width(f, LABEL_SIZE) for f in figures] + [0]) + PAD
    longest = max([text_width(w, LABEL_SIZE) for label in labels for w in label.split()] + [0])
    natural = max([text_width(label, LABEL_SIZE) for label in labels] + [0])
    label_w = min(max(natural, 1), max(width * 0.4, min(longest, width * 0.5)))
    size_for = [LABEL_SIZE * min(1.0, label_w / max([text_width(w, LABEL_SIZE) for w in label.split()] + [1]))
                for label in labels]
    area = max(width - 2 * EDGE - label_w - PAD - figure_w, 40)
    hidden_room = area + figure_w - 2 * PAD
    top_count = max([float(r["count"]) for r in rows if r["count"] is not HIDDEN] + [1.0])

    def x(left: float, span: float = 0.0) -> float:
        """Where something starting `left` from the reading start edge, `span` wide, is drawn."""
        return width - left - span if rtl else left

    parts, y = [], GAP
    for row, label, figure, size in zip(rows, labels, figures, size_for):
        label_lines = _wrap(label, label_w, size)
        hidden = row["count"] is HIDDEN
        hidden_lines = _wrap(label_hidden, hidden_room, HIDDEN_SIZE) if hidden else []
        height = max(BAR, len(label_lines) * size * LINE, len(hidden_lines) * HIDDEN_SIZE * LINE + 4)
        # Labels are people's words (answer options): dir="auto" as for all their words on a page.
        parts.append(_lines(x(EDGE), y + (height - len(label_lines) * size * LINE) / 2, label_lines, size,
                            INK, ' dir="auto"'))
        bar_left = EDGE + label_w + PAD
        if hidden:
            frame_w = area + figure_w
            parts.append(f'<rect class="hidden-cell" x="{x(bar_left, frame_w):.1f}" y="{y:.1f}" '
                         f'width="{frame_w:.1f}" height="{height:.1f}" fill="none" stroke="{FRAME}" '
                         f'stroke-dasharray="4 3"/>')
            parts.append(_lines(x(bar_left + PAD), y + (height - len(hidden_lines) * HIDDEN_SIZE * LINE) / 2,
                                hidden_lines, HIDDEN_SIZE, MUTED))
        else:
            length = area * float(row["count"]) / top_count
            bar_top = y + (height - BAR) / 2
            parts.append(f'<rect class="bar" x="{x(bar_left, length):.1f}" y="{bar_top:.1f}" width="{length:.1f}" '
                         f'height="{BAR}" fill="{BAR_FILL}"/>')
            parts.append(_lines(x(bar_left + length + 4), bar_top + (BAR - LABEL_SIZE * LINE) / 2 + 1,
                                [figure], LABEL_SIZE, INK))
        y += height + GAP
    direction = "rtl" if rtl else "ltr"
    # Hidden from screen readers: every caller shows the same figures in a table beside it.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {y:.0f}" width="100%" '
            f'direction="{direction}" aria-hidden="true" focusable="false">' + "".join(parts) + "</svg>")
