"""Who we heard from (page with SVG charts, CSV and JSON API): thin; the figures come from heard.py."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from consultations import heard, views
from consultations.results import FEWER
from network.core.access import api, page
from network.core.charts import bar_chart
from network.core.i18n import format_date, gettext
from network.core.spreadsheets import line
from network.core.templating import render, request_locale


def _groups(request: Request, figures: dict) -> list[dict]:
    """Per attribute: its groups' shares (heard.shares), each group named in the reader's language."""
    labels = views.group_labels(request_locale(request))
    return [{"attribute": attribute,
             "rows": [{**row, "label": labels.get(attribute, {}).get(row["value"], row["value"])} for row in rows]}
            for attribute, rows in figures["shares"].items()]


def _charts(request: Request, groups: list[dict], k: int) -> dict:
    locale = request_locale(request)
    fewer = gettext(locale, FEWER, k=k)
    return {g["attribute"]: Markup(bar_chart([{"label": r["label"], "count": r["heard"]} for r in g["rows"]], fewer,
                                             locale=locale)) for g in groups}


async def heard_page(request: Request):
    figures = await heard.figures()
    groups = _groups(request, figures)
    locale = request_locale(request)
    labels = views.group_labels(locale)
    under = [{**g, "label": labels.get(g["attribute"], {}).get(g["value"], g["value"])}
             for g in figures["under_represented"]]
    months = [{**m, "label": format_date(date.fromisoformat(m["month"] + "-01"), locale, "LLLL y")}
              for m in figures["months"]]
    return render(request, "consultations/heard.html", {"under": under, "months": months,
        "f": figures, "groups": groups, "charts": _charts(request, groups, figures["members"]["k"]),
        "consultations": [{**views.summary(request, row["consultation"]), "respondents": row["respondents"],
                           "released_on": row["released_on"], "groups": row["groups"]}
                          for row in figures["consultations"]],
        "fewer": gettext(request_locale(request), FEWER, k=figures["members"]["k"])})


async def heard_csv(request: Request):
    figures = await heard.figures()
    rows = [line("section", "consultation", "month", "attribute", "group", "heard", "heard_share", "members",
                 "member_share", "under_represented")]
    for group in _groups(request, figures):
        for r in group["rows"]:
            rows.append(line("group", "", "", group["attribute"], r["value"], r["heard"],
                             "" if r["heard_share"] is None else round(r["heard_share"], 4),
                             "" if r["members"] is None else r["members"],
                             "" if r["member_share"] is None else round(r["member_share"], 4),
                             "yes" if r["under"] else "no"))
    for month in figures["months"]:
        rows.append(line("month", "", month["month"], "", "", month["respondents"], "", "", "", ""))
    for row in figures["consultations"]:
        people = "" if row["respondents"] is None else row["respondents"]
        rows.append(line("consultation", row["id"], row["released_on"].strftime("%Y-%m"), "", "", people, "", "",
                         "", ""))
        for attribute, sizes in row["groups"].items():
            for value, size in sizes.items():
                rows.append(line("consultation", row["id"], row["released_on"].strftime("%Y-%m"), attribute, value,
                                 size, "", "", "", ""))
    return Response("".join(rows), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="who-we-heard-from.csv"'})


async def api_heard(request: Request):
    figures = await heard.figures()
    return {"respondents": figures["respondents"], "months": figures["months"],
            "consultations": [{"id": row["id"], "released_on": row["released_on"].isoformat(),
                               "respondents": row["respondents"], "groups": row["groups"]}
                              for row in figures["consultations"]],
            "heard": figures["heard"], "members": figures["members"],
            "under_represented": figures["under_represented"]}


routes = [
    page("/heard", heard_page, access="policymaker"),
    page("/heard.csv", heard_csv, access="policymaker"),
    api("/api/v1/heard", api_heard, access="policymaker", method="GET", tag="consultations",
        summary="Who we heard from: participation by language, region, age band and the dimensions members chose "
                "to be counted under, per consultation and per month, from the final releases alone; the "
                "membership once a month, groups under k hidden; and the groups heard less than their share."),
]
