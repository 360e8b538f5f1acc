"""The JSON API under /api/v1: token authentication, PRODUCT.md's field names, an OpenAPI document from the schemas."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api, Blueprint

from tracker.web.access import public

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="Better Care Fund engagement evidence")


class TrackerApi(Api):
    """flask-smorest's Api, leaving error pages to tracker.web.errors (JSON under /api/, HTML elsewhere)."""

    from tracker.api.schemas import ErrorBody as ERROR_SCHEMA  # noqa: N811 - documents the real error body

    def _register_error_handlers(self) -> None:
        pass


api = TrackerApi()


def init_api(app: Flask) -> None:
    """Bind the API and its OpenAPI document (/api/v1/openapi.json) to the app."""
    app.config.update(
        API_TITLE="Better Care Fund engagement tracker API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    from tracker.api import concerns, events, participations, plans, reviews, statistics  # noqa: F401  (the views)
    from tracker.web.extensions import csrf

    csrf.exempt(bp)  # API calls authenticate with a bearer token, not a cookie, so CSRF cannot arise
    bearer = {"type": "http", "scheme": "bearer",
              "description": "A token from flask create-token or the API tokens page"}
    api.init_app(app, spec_kwargs={"components": {"securitySchemes": {"bearer": bearer}}})
    api.spec.options["security"] = [{"bearer": []}]
    api.register_blueprint(bp)
    serve_spec = app.view_functions["api-docs.openapi_json"]

    @public
    def openapi_json():  # noqa: ANN202 - the document is public, like any API reference
        return serve_spec()

    app.view_functions["api-docs.openapi_json"] = openapi_json
