"""Walk the OParl API from its System object, following every URL it gives, and validate every
object against the OParl 1.1 JSON schema of its type (oparl/schema/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "oparl" / "schema"
ROOT = "/api/oparl/v1/"
HOST = "http://testserver"
# URLs that are files, not JSON.
NOT_JSON = ("accessUrl", "downloadUrl")


def schemas() -> dict[str, Any]:
    found = {}
    for path in SCHEMA_DIR.glob("*.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft7Validator.check_schema(schema)
        found[path.stem] = jsonschema.Draft7Validator(schema)
    return found


@dataclass
class Walk:
    """What a walk saw: every JSON answer by URL, the objects by type, the files' URLs."""

    answers: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    text: list[str] = field(default_factory=list)

    def ids(self, kind: str) -> set[str]:
        return {obj["id"] for obj in self.objects.get(kind, [])}


def walk(client: Any, start: str = ROOT, limit: int = 20000) -> Walk:
    validators = schemas()
    seen = Walk()
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen.answers:
            continue
        assert len(seen.answers) < limit, "the API never ends"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"] == "application/json", url
        assert response["Access-Control-Allow-Origin"] == "*", url
        seen.text.append(response.content.decode())
        data = response.json()
        seen.answers[url] = data
        if "data" in data:  # a list page
            assert set(data) == {"data", "pagination", "links"}, url
            if data["pagination"]["currentPage"] < data["pagination"]["totalPages"]:
                assert "next" in data["links"], url

        def visit(value: Any, key: str = "", url: str = url) -> None:
            if isinstance(value, dict):
                if "type" in value and str(value["type"]).startswith("https://schema.oparl.org/"):
                    kind = value["type"].rsplit("/", 1)[1]
                    errors = list(validators[kind].iter_errors(value))
                    assert not errors, (url, kind, [e.message for e in errors])
                    seen.objects.setdefault(kind, []).append(value)
                for child_key, child in value.items():
                    if child_key not in ("type", "oparlVersion", "website"):
                        visit(child, child_key)
            elif isinstance(value, list):
                for child in value:
                    visit(child, key)
            elif isinstance(value, str) and value.startswith(HOST + ROOT):
                if key in NOT_JSON:
                    seen.files.add(value)
                else:
                    todo.append(value.removeprefix(HOST))

        visit(data)
    return seen
