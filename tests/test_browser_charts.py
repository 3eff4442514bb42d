"""The SVG charts as a browser draws them: every text inside the chart, none over a bar, a hidden
cell's label inside its frame, in left-to-right and right-to-left pages alike."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from network.core import i18n
from network.core.charts import bar_chart
from network.core.settings import ROOT

CSS = (ROOT / "static" / "css" / "app.css").read_text()

SHORT = [{"label": "Health care", "count": 12}, {"label": "Housing", "count": None},
         {"label": "Justice", "count": 7}]
# A donor report's labels: kind · region · period, the kind of label that used to be cut.
LONG = [{"label": "Mobile data · unsaved region · 2026-03", "count": 45000.0},
        {"label": "Time off work · Eastern Kivu and Ituri · 2026-04", "count": None},
        {"label": "Travel · North · 2026-03", "count": 120000.0},
        {"label": "Réparations communautaires et symboliques pour toutes", "count": 3},
        {"label": "Supercalifragilisticexpialidociouslylongword", "count": 1}]
ARABIC = [{"label": "الرعاية الصحية والدعم النفسي للناجيات", "count": 1234}, {"label": "السكن", "count": None},
          {"label": "العدالة", "count": 5}]
PERSIAN = [{"label": "مراقبت صحی و حمایت روانی", "count": 1500}, {"label": "مسکن", "count": None},
           {"label": "Mobile data · unsaved region", "count": 8}, {"label": "3", "count": 40}]

MEASURE = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return [...document.querySelectorAll('svg.chart')].map(svg => ({
    svg: box(svg),
    texts: [...svg.querySelectorAll('text')].map(t => ({box: box(t), text: t.textContent.replace(/[\u2068\u2069]/g, ''),
      lines: [...t.querySelectorAll('tspan')].map(s => s.textContent.replace(/[\u2068\u2069]/g, '')),
      frame: t.previousElementSibling && t.previousElementSibling.classList.contains('hidden-cell')
             ? box(t.previousElementSibling) : null})),
    bars: [...svg.querySelectorAll('rect.bar')].map(box),
  }));
}"""


def _inside(inner, outer, slack=0.5):
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _overlap(a, b):
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _page(locale: str, charts: list[str], width: int) -> str:
    return (f'<!doctype html><html lang="{locale}" dir="{i18n.direction(locale)}"><head><meta charset="utf-8">'
            f'<style>{CSS}</style></head><body><main style="inline-size:{width}px">'
            + "".join(f"<section>{c}</section>" for c in charts) + "</main></body></html>")


def _check(browser, locale: str, charts: list[str], width: int = 320):
    page = browser.new_page()
    try:
        page.set_content(_page(locale, charts, width))
        measured = page.evaluate(MEASURE)
    finally:
        page.close()
    assert len(measured) == len(charts)
    for chart in measured:
        assert chart["texts"] and chart["bars"]
        for text in chart["texts"]:
            assert _inside(text["box"], chart["svg"]), (locale, text["text"], text["box"], chart["svg"])
            for bar in chart["bars"]:
                assert not _overlap(text["box"], bar), (locale, text["text"], text["box"], bar)
            if text["frame"]:
                assert _inside(text["box"], text["frame"]), (locale, text["text"], text["box"], text["frame"])
        for i, first in enumerate(chart["texts"]):
            for second in chart["texts"][i + 1:]:
                assert not _overlap(first["box"], second["box"]), (locale, first["text"], second["text"])
    return measured


@pytest.mark.parametrize("locale", ["en", "ar", "fa"])
def test_texts_stay_inside_the_chart_and_off_the_bars(browser, locale):
    fewer = i18n.gettext(locale, "fewer than %(k)s", k=5)
    rows = {"en": SHORT, "ar": ARABIC, "fa": PERSIAN}[locale]
    # A donor report's figures are amounts of money, written by the caller.
    money = [{**row, "figure": row["count"] and i18n.format_money(Decimal(row["count"]), "KES", locale)}
             for row in LONG]
    charts = [bar_chart(rows, fewer, locale=locale), bar_chart(LONG, fewer, locale=locale),
              bar_chart(money, fewer, locale=locale),
              bar_chart(rows, "a much longer explanation of why this small group is not shown", locale=locale)]
    for width in (320, 240):
        _check(browser, locale, charts, width)


def test_labels_are_whole_words_never_cut(browser):
    measured = _check(browser, "en", [bar_chart(LONG, "fewer than 5", locale="en")])
    labels = [t["lines"] for t in measured[0]["texts"]][0::2]
    assert len(labels) == len(LONG)
    for lines, row in zip(labels, LONG):
        assert " ".join(lines) == row["label"]
        for line in lines:
            assert set(line.split()) <= set(row["label"].split()), line


def test_charts_called_as_before_stay_inside_in_a_right_to_left_page(browser):
    """network.stipends calls bar_chart(rows, fewer) without a locale: it must not break in fa."""
    _check(browser, "fa", [bar_chart(LONG, "fewer than 5"), bar_chart(SHORT, "fewer than 5", rtl=True)])


def test_right_to_left_charts_start_on_the_right(browser):
    page = browser.new_page()
    try:
        page.set_content(_page("ar", [bar_chart(ARABIC, "أقل من ٥", locale="ar")], 320))
        measured = page.evaluate(MEASURE)[0]
    finally:
        page.close()
    label, bar = measured["texts"][0]["box"], measured["bars"][0]
    assert label[0] > bar[2], "the label reads first, on the right, the bar grows leftwards from it"


def test_persian_figures_use_persian_digits(browser):
    measured = _check(browser, "fa", [bar_chart(PERSIAN, "کمتر از ۵", locale="fa")])
    figures = [t["text"] for t in measured[0]["texts"] if re.fullmatch(r"[\d۰-۹٬٫]+", t["text"])]
    assert "۱٬۵۰۰" in figures and "۸" in figures and "۳" in figures
    assert not any(re.search(r"[0-9]", f) for f in figures)
