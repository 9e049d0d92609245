"""The OpenAPI document and a Swagger UI page whose assets come from the swagger-ui-bundle package."""

from pathlib import Path

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from entrypoints.http.typedefs import OPENAPI

DOCS = "/api/v1/docs"
ASSETS = DOCS + "/assets"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>StoryCanvas API</title>
  <link rel="stylesheet" type="text/css" href="{ASSETS}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{ASSETS}/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="{ASSETS}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script>
    window.onload = function () {{
      window.ui = SwaggerUIBundle({{
        url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        layout: "StandaloneLayout", validatorUrl: null
      }});
    }};
  </script>
</body>
</html>
"""


async def openapi_document(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI])


async def docs_page(_request: web.Request) -> web.Response:
    return web.Response(text=PAGE, content_type="text/html")


ASSET_DIR = Path(str(swagger_ui_path)).resolve()


async def docs_asset(request: web.Request) -> web.FileResponse:
    """A Swagger UI file from the package; anything else (or outside it) is a 404 envelope."""
    name = request.match_info["name"]
    path = (ASSET_DIR / name).resolve()
    if "/" in name or path.parent != ASSET_DIR or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


def add_docs_routes(app: web.Application) -> None:
    app.router.add_get("/api/v1/openapi.json", openapi_document)
    app.router.add_get(DOCS, docs_page)
    app.router.add_get(ASSETS + "/{name}", docs_asset)
