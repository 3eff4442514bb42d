"""No input gets a server error: every route is tried with numbers past what the database holds,
bodies nested too deep, and text with NUL, control and reordering characters, on SQLite and
PostgreSQL. Each answer is a clear refusal in the caller's language, and nothing is stored."""

from __future__ import annotations

import json
import re

from starlette.routing import Route
from tortoise import connections

from messaging.models import Message, Room
from network.core.openapi import document
from network.organisations import service as organisations
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, new_client, signed_in

HUGE = [2**31, 2**63, 2**64 + 7]
PATH_INT = re.compile(r"{(\w+):int}")


def _routes(app, kind):
    for route in app.routes:
        if isinstance(route, Route) and PATH_INT.search(route.path):
            if (kind == "api") == route.path.startswith("/api/"):
                yield route


def _fill(path: str, number: int) -> str:
    return PATH_INT.sub(str(number), path)


@both_databases
async def test_numbers_past_the_database_in_any_path_are_not_found(app, database_url):
    admin = await make_member(app, "admin")
    async with signed_in(app, admin) as http:
        page = await http.get("/me")
        token = csrf_from(page.text)
        tried = 0
        for route in [*_routes(app, "api"), *_routes(app, "page")]:
            for method in route.methods - {"HEAD"}:
                for number in HUGE:
                    url = _fill(route.path, number)
                    if route.path.startswith("/api/"):
                        response = await http.request(method, url, json={} if method != "GET" else None)
                    else:
                        response = await http.request(method, url, data={"csrf_token": token}
                                                      if method == "POST" else None)
                    assert response.status_code == 404, (method, url, response.status_code)
                    tried += 1
    assert tried > 100


def _integer_fields(schema: dict, schemas: dict, prefix=()) -> list[tuple]:
    """Paths to every integer in a body schema (following $ref, the first of anyOf/oneOf)."""
    if "$ref" in schema:
        return _integer_fields(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas, prefix)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [p for option in schema[key][:1] for p in _integer_fields(option, schemas, prefix)]
    if schema.get("type") == "integer":
        return [prefix]
    found = []
    for name, prop in schema.get("properties", {}).items():
        found += _integer_fields(prop, schemas, (*prefix, name))
    return found


def _with(path: tuple, value) -> dict:
    body: dict = {}
    node = body
    for name in path[:-1]:
        node = node.setdefault(name, {})
    node[path[-1]] = value
    return body


@both_databases
async def test_numbers_past_the_database_in_any_json_field_are_refused(app, database_url):
    admin = await make_member(app, "admin")
    # Representing an organisation, so the routes that act for one read their bodies too.
    organisation = await organisations.create({"name": "Bodies checked", "country": "KE"})
    await organisations.add_representative(admin, organisation.id, admin.pseudonym)
    doc = document(app.routes)
    schemas = doc["components"]["schemas"]
    tried = 0
    async with signed_in(app, admin) as http:
        for path, operations in doc["paths"].items():
            for method, operation in operations.items():
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body is None:
                    continue
                for field in _integer_fields(body["schema"], schemas):
                    url = re.sub(r"{\w+}", "1", path.replace("{org_id}", str(organisation.id)))
                    response = await http.request(method.upper(), url, json=_with(field, 2**64))
                    assert response.status_code in (404, 409, 422), (method, path, field, response.text)
                    assert response.json()["error"]["message"]
                    tried += 1
    assert tried > 12


def _every_json_operation(app):
    for path, operations in document(app.routes)["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                yield method.upper(), re.sub(r"{\w+}", "1", path)


async def test_json_nested_too_deep_is_refused_on_every_endpoint(app):
    member = await make_member(app, "admin")
    deep = "[" * 1000 + "]" * 1000
    tried = 0
    async with signed_in(app, member) as http:
        for method, url in _every_json_operation(app):
            response = await http.request(method, url, content=deep, headers={"content-type": "application/json",
                                                                              "accept-language": "fr"})
            assert response.status_code in (400, 401, 403), (method, url, response.status_code)
            if response.status_code == 400:
                assert response.json()["error"]["code"] == "too_deep" and "profond" in response.json()["error"]["message"]
                tried += 1
    assert tried >= 30
    # Signing in is open to anyone: it is refused the same way.
    async with new_client(app) as http:
        response = await http.post("/api/v1/auth/login", content=deep, headers={"content-type": "application/json"})
        assert response.status_code == 400 and response.json()["error"]["code"] == "too_deep"


@both_databases
async def test_nul_control_and_reordering_characters_never_reach_the_database(app, database_url):
    moderator = await make_member(app, "moderator")
    typed = "Safe\x00 room\x07 \u202eevil\u202c name"
    async with signed_in(app, moderator) as http:
        room = (await http.post("/api/v1/rooms", json={"name": typed[:40]})).json()["room"]
        sent = await http.post(f"/api/v1/rooms/{room['id']}/messages",
                               json={"body": "hello\x00 there \u202ereversed\u2066 and the end"})
        assert sent.status_code == 201, sent.text
        # A lone surrogate can only travel escaped in JSON, as a careless client sends it: refused.
        half = await http.post(f"/api/v1/rooms/{room['id']}/messages", headers={"content-type": "application/json"},
                               content=json.dumps({"body": "a lone \ud800 half"}))
        assert half.status_code == 422 and "body" in half.json()["error"]["fields"]
        page = await http.get("/rooms/new")
        form = await http.post("/rooms/new", data={"csrf_token": csrf_from(page.text), "name": "Form\x00 room\u202e",
                                                   "kind": "open"})
        assert form.status_code == 303
        assert (await http.patch("/api/v1/me", json={"bio": "about me\x1b[31m \u202e"})).status_code == 200
    stored = [r["name"] for r in await connections.get("default").execute_query_dict("SELECT name FROM room")]
    stored += [m.body for m in await Message.all()]
    stored += [r["bio"] for r in await connections.get("default").execute_query_dict("SELECT bio FROM member")
               if r["bio"]]
    for text in stored:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", text), repr(text)
    assert "\ufffd" in (await Room.get(id=room["id"])).name  # what was there shows as a replacement mark


@both_databases
async def test_forms_with_numbers_past_the_database_and_odd_text_get_no_server_error(app, database_url):
    admin = await make_member(app, "admin")
    values = {name: str(2**64) for name in ("id", "member_id", "message_id", "room_id", "fund_id", "minutes",
                                            "uses", "days", "reply_to", "sanction_id", "report_id", "alert_id",
                                            "appeal_id", "item_id", "k", "slow_mode_seconds", "support_member_id")}
    values.update({name: "\x00" * 3 + "x" * 300 for name in ("kind", "body", "name", "text", "reason", "role",
                                                             "word", "locale", "action", "amount", "purpose")})
    values.update({name: "2099-99-99" for name in ("starts_on", "ends_on", "held_on", "starts_at", "ends_at")})
    values.update({name: "1e999" for name in ("line_amount_1", "project_amount_1", "spent_1", "travel")})
    organisation = await organisations.create({"name": "Forms checked", "country": "KE"})  # id 1: its forms too
    await organisations.add_representative(admin, organisation.id, admin.pseudonym)
    tried = 0
    async with signed_in(app, admin) as http:
        token = csrf_from((await http.get("/me")).text)
        for route in app.routes:
            if not isinstance(route, Route) or route.path.startswith("/api/") or "POST" not in (route.methods or ()):
                continue
            if route.path in ("/logout", "/safety/wipe", "/me/erase", "/exit"):
                continue
            url = _fill(route.path.replace("{org_id:int}", str(organisation.id)), 1)
            response = await http.post(url, data={"csrf_token": token, **values})
            assert response.status_code < 500, (url, response.status_code)
            tried += 1
    assert tried > 30


async def test_a_method_not_allowed_names_every_method_of_the_path(app):
    async with new_client(app) as http:
        response = await http.request("OPTIONS", "/api/v1/rooms")
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


async def test_the_document_says_what_the_service_answers(app):
    doc = document(app.routes)
    post = doc["paths"]["/api/v1/rooms/{room_id}/messages"]["post"]
    assert {"200", "201"} <= set(post["responses"])
    body = doc["components"]["schemas"]["MessageIn"]["properties"]["body"]
    assert body["maxLength"] == 2000 and body["minLength"] == 1
    assert "text/csv" in doc["paths"]["/api/v1/consultations/{consultation_id}/export.csv"]["get"]["responses"]["200"][
        "content"]
    register = doc["components"]["schemas"]["RegisterBody"]["properties"]
    assert (register["pseudonym"]["minLength"], register["pseudonym"]["maxLength"]) == (3, 32)
    assert (register["passphrase"]["minLength"], register["passphrase"]["maxLength"]) == (12, 128)
    room_id = doc["paths"]["/api/v1/rooms/{room_id}/messages"]["get"]["parameters"][0]["schema"]
    assert room_id["maximum"] == 2**31 - 1
    assert json.dumps(doc)  # and it is JSON


async def test_every_body_in_the_document_has_an_example_that_its_own_model_accepts(app):
    from network.core.openapi import api_specs

    models = {spec.body for spec in api_specs(app.routes) if spec.body is not None}
    assert len(models) >= 29
    for model in models:
        variants = [model] if "root" not in model.model_fields else list(model.model_fields["root"].annotation.__args__)
        for variant in variants:
            examples = (variant.model_config.get("json_schema_extra") or {}).get("examples")
            assert examples, f"{variant.__name__} has no example"
            model.model_validate(examples[0])
