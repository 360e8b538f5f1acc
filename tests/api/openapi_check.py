"""Check API answers against the app's own OpenAPI document (OpenAPI 3.0 schemas turned into JSON Schema)."""
from __future__ import annotations

import re
from typing import Any

import jsonschema
from openapi_spec_validator import validate as validate_spec


def to_json_schema(schema: Any, components: dict[str, Any]) -> Any:
    """Resolve $refs and turn OpenAPI's `nullable` into JSON Schema's null type."""
    if isinstance(schema, list):
        return [to_json_schema(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return to_json_schema(components[schema["$ref"].rsplit("/", 1)[1]], components)
    result = {key: to_json_schema(value, components) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable") and "type" in result:
        result["type"] = [result["type"], "null"]
        if "enum" in result:
            result["enum"] = [*result["enum"], None]
    if result.get("type") == "object" and "properties" in result:
        result.setdefault("additionalProperties", False)
    return result


class OpenApiChecker:
    """Finds the operation for a request and validates the answer's body against its documented schema."""

    def __init__(self, document: dict[str, Any]) -> None:
        validate_spec(document)
        self.document = document
        self.components = document.get("components", {}).get("schemas", {})
        self.routes = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
                       for path in document["paths"]]

    def check(self, method: str, path: str, status: int, body: Any) -> None:
        """Raise AssertionError when the answer is not what the document says."""
        templates = [template for pattern, template in self.routes if pattern.match(path.split("?")[0])]
        assert templates, f"{path} is not in the OpenAPI document"
        operation = self.document["paths"][templates[0]].get(method.lower())
        assert operation is not None, f"{method} {templates[0]} is not in the OpenAPI document"
        responses = operation["responses"]
        documented = responses.get(str(status)) or responses.get("default")
        assert documented is not None, f"{method} {templates[0]} does not document status {status}"
        if "$ref" in documented:
            documented = self.document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        assert schema is not None, f"{method} {templates[0]} {status} documents no JSON body"
        jsonschema.validate(body, to_json_schema(schema, self.components))
