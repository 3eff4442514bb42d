"""The library: tools, guidance and policies in every language (with easy-read versions), the
support services directory, State commitments, curation with a second reader, search, exchange."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def setup(registry, settings) -> None:
    from network.core.i18n import lazy as _l
    from network.library import api, curation, demo, labels, routes

    registry.routes += routes.routes + curation.routes + api.routes
    registry.add_templates(Path(__file__).parent / "templates", **labels.TEMPLATE_NAMES)
    registry.template_filters["isodate"] = date.fromisoformat
    registry.demo_seeds.append(demo.seed)
    registry.organisation_links.append(("/library/propose", _l("Propose a library entry")))

    async def load(rt, path: str = "", publish: str = "") -> str:
        from network.library import exchange

        if not path:
            return "give the file to import: survnet library-import FILE [publish]"
        added = await exchange.load(None, Path(path).read_text(encoding="utf-8"), publish=publish == "publish")
        return ", ".join(f"{count} {kind}" for kind, count in added.items()) + " imported"

    async def dump(rt, form: str = "json") -> str:
        import json

        from network.library import exchange

        document = await exchange.export(None)
        return exchange.to_csv(document) if form == "csv" else json.dumps(document, ensure_ascii=False, indent=2)

    registry.commands["library-import"] = (
        "load a library file (JSON or CSV, see the README); add 'publish' to publish its entries at once", load)
    registry.commands["library-export"] = ("print the library's public export: json (default) or csv", dump)
