"""Macro files imported without context (Jinja builds them once, not once a page) must not read a
page's own values: such a name would render as nothing, silently. Every import in every template
is walked; one that needs the page's values has to say `with context`."""

import re

import jinja2
import jinja2.meta

from network.app import create_app
from network.core.settings import load_settings
from tests.helpers import make_member, signed_in

IMPORT = re.compile(r'{%-?\s*(from|import|include)\s+(["\'])([^"\']+)\2(.*?)-?%}', re.S)
ANY_IMPORT = re.compile(r'{%-?\s*(?:from|import|include)\s', re.S)


def test_macros_imported_without_context_need_nothing_but_globals(tmp_path):
    environment = create_app(load_settings({"SURVNET_VAR_DIR": str(tmp_path)})).state.runtime.templates
    imports = {}
    for name in environment.list_templates(extensions=["html"]):
        source = environment.loader.get_source(environment, name)[0]
        found = IMPORT.findall(source)
        assert len(found) == len(ANY_IMPORT.findall(source)), f"{name}: an import this test cannot read"
        for how, _, imported, rest in found:
            # An include sees the page's values, as an import "with context" does.
            imports.setdefault(imported, set()).add(how == "include" or "with context" in rest)
    assert "_forms.html" in imports and False in imports["_forms.html"]
    for imported, ways in imports.items():
        if False not in ways:
            continue
        source = environment.loader.get_source(environment, imported)[0]
        needed = jinja2.meta.find_undeclared_variables(environment.parse(source))
        assert needed <= set(environment.globals), (imported, needed - set(environment.globals))


async def test_a_shared_macro_writes_the_page_s_own_token_and_language(app):
    # A room's page carries a report form from _forms.html for each message: this session's token,
    # the reader's French.
    moderator, reader = await make_member(app, "moderator"), await make_member(app)
    reader.locale = "fr"
    await reader.save(update_fields=["locale"])
    async with signed_in(app, moderator) as http:
        room = (await http.post("/api/v1/rooms", json={"name": "Salon"})).json()["room"]
        await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "Bonjour"})
    async with signed_in(app, reader) as http:
        await http.post(f"/api/v1/rooms/{room['id']}/join")
        page = await http.get(f"/rooms/{room['id']}")
    assert page.status_code == 200
    assert f'name="csrf_token" value="{http.csrf}"' in page.text
    assert "Envoyer le signalement" in page.text and "Send report" not in page.text
