"""FAL301: one module registering many routes across several resources."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi_lint.context import Context
from fastapi_lint.fastapi_model import Route
from fastapi_lint.findings import Finding
from fastapi_lint.options import option
from fastapi_lint.rules import Rule
from fastapi_lint.summary import COL, LINE


@dataclass(frozen=True)
class SingleFileRouterOptions:
    """Thresholds of `[tool.fastapi-lint.single-file-router]`."""

    min_routes: int = option(
        12, minimum=1, description="Routes in one module before it is reported."
    )
    min_resources: int = option(
        3,
        minimum=2,
        description="Distinct first path segments in one module before it is reported.",
    )


VERSION = re.compile(r"api|rest|v\d+(\.\d+)*((alpha|beta)\d*)?|\d+(\.\d+)*", re.IGNORECASE)
# segments that say who may call a path rather than what it serves
SCOPE = re.compile(r"admin|internal|external|public|private|management", re.IGNORECASE)


def first_segment(route: Route, skip_scopes: bool) -> str:
    """The first segment of a route's full path that names what it serves: ``users`` in
    ``/api/v1/users/{id}`` (and in ``/admin/users`` when scopes are skipped). Leading path
    parameters (``/{tenant}/users``) are skipped too; ``/`` when nothing is left."""
    path = route.full_path if route.full_path is not None else route.path or ""
    for segment in path.split("/"):
        if not segment or segment.startswith("{") or VERSION.fullmatch(segment):
            continue
        if not (skip_scopes and SCOPE.fullmatch(segment)):
            return segment
    return "/"


def resources(routes: list[Route]) -> list[str]:
    """The resources a module's routes serve. A handler registered under several paths serves
    the resource of its first (the others are aliases: ``/v1/responses``, ``/responses``). A
    module whose routes all sit under one scope (``/public/...``, ``/admin/...``) is organised
    by that scope: one resource. Otherwise scope segments are skipped: ``/admin/persona`` and
    ``/persona`` are one resource."""
    first_paths: dict[object, Route] = {}
    for route in sorted(routes, key=lambda r: (r.call[LINE], r.call[COL])):
        handler = route.function.qualname if route.function is not None else id(route)
        first_paths.setdefault(handler, route)
    distinct = list(first_paths.values())
    firsts = {first_segment(route, skip_scopes=False) for route in distinct}
    if len(firsts) == 1:
        return sorted(firsts)
    return sorted({first_segment(route, skip_scopes=True) for route in distinct})


class SingleFileRouter(Rule):
    """## What it does
    Finds a module that registers many routes across several resources (first path segments,
    after `/api`, versions such as `/v1` and leading parameters such as `/{tenant}`), such as
    `/users`, `/items` and `/orders` all in `main.py`. Scope segments (`/admin`, `/internal`,
    `/public`...) are skipped too, so a module serving `/admin/users` and `/users` serves one
    resource, unless every route of the module sits under one scope: that module is organised
    by scope, one resource. A handler registered under several paths (aliases) counts once.
    Thresholds are options:
    `min-routes` (default 12) and `min-resources` (default 3) in
    `[tool.fastapi-lint.single-file-router]`. Routes registered in test modules (`tests/`,
    `test_*.py`, `*_test.py`, `conftest.py`) serve a test client and are not counted.

    ## Why is this bad?
    One module per application grows into thousands of lines where every change conflicts with
    every other, dependencies and prefixes are repeated by hand, and nothing can be tested or
    mounted on its own. `APIRouter` modules keep each resource with its prefix, tags and
    dependencies in one place.

    ## Example
    ```python
    # main.py
    @app.get("/users/")
    ...
    @app.get("/items/")
    ...
    @app.get("/orders/")
    ...
    ```

    ## Use instead
    ```python
    # routers/users.py
    router = APIRouter(prefix="/users", tags=["users"])

    # main.py
    app.include_router(users.router)
    app.include_router(items.router)
    ```
    """

    code = "FAL301"
    name = "single-file-router"
    summary = "Many resources' routes in one module"
    message = (
        "Module registers {routes} routes across {count} resources ({resources}): split them "
        "into APIRouter modules, one per resource"
    )
    options = SingleFileRouterOptions

    def check(self, context: Context) -> Iterator[Finding]:
        options = self.settings or SingleFileRouterOptions()
        assert isinstance(options, SingleFileRouterOptions)
        by_module: dict[str, list[Route]] = {}
        for route in context.fastapi.served_routes():
            by_module.setdefault(route.module.path, []).append(route)
        for routes in by_module.values():
            served = resources(routes)
            if len(routes) < options.min_routes or len(served) < options.min_resources:
                continue
            first = min(routes, key=lambda r: (r.call[LINE], r.call[COL]))
            shown = ", ".join(f"/{r}" if r != "/" else r for r in served[:8])
            if len(served) > 8:
                shown += ", ..."
            message = self.message.format(routes=len(routes), count=len(served), resources=shown)
            yield context.finding(
                self.code, message, first.module, first.call[LINE], first.call[COL]
            )
