"""The generated OpenAPI document describes every JSON endpoint."""

import re

from starlette.routing import Mount

REQUIRED = [
    ("post", "/api/v1/auth/register"), ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"), ("patch", "/api/v1/me"), ("get", "/api/v1/me/sessions"),
    ("delete", "/api/v1/me/sessions/{session_id}"), ("get", "/api/v1/me/export"), ("delete", "/api/v1/me"),
    ("post", "/api/v1/invitations"),
]


async def test_openapi_lists_every_api_route(app, client):
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for method, path in REQUIRED:
        assert method in doc["paths"].get(path, {}), (method, path)
    for route in app.routes:
        if isinstance(route, Mount) or not route.path.startswith("/api/v1/") or not hasattr(route, "methods"):
            continue
        path = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
        for method in route.methods - {"HEAD"}:
            assert method.lower() in doc["paths"][path], (method, path)
    register = doc["paths"]["/api/v1/auth/register"]["post"]
    schema_ref = register["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"invite_code", "pseudonym", "passphrase"}
    assert "201" in register["responses"]
    assert doc["components"]["schemas"]["Error"]["required"] == ["error"]
