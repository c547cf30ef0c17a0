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
        12,
        minimum=1,
        description="Endpoints in one module before it is reported (a handler registered "
        "under several paths counts once).",
    )
    min_resources: int = option(
        3,
        minimum=2,
        description="Distinct resources (first path segments, by their last word) in one module "
        "before it is reported.",
    )


# an API's prefix or version: `/api`, `/gradio_api`, `/rest`, `/v1`, `/v1beta`, `/2024.1`
VERSION = re.compile(
    r"(\w+[_-])?api|rest|v\d+(\.\d+)*((alpha|beta)\d*)?|\d+(\.\d+)*", re.IGNORECASE
)
# segments that say who may call a path rather than what it serves
SCOPE = re.compile(r"admin|internal|external|public|private|management|global", re.IGNORECASE)
# the verb that starts an RPC-style path (`/get/settings`, `/update/settings`): what it acts
# on follows
VERB = re.compile(
    r"get|list|create|update|delete|add|remove|upload|download|new|edit|set|save", re.IGNORECASE
)


# the endpoints of an OAuth 2.0 / OpenID Connect authorization server (RFC 6749, 7009, 7591,
# 7662, 8414, OpenID Connect Discovery) and its `/.well-known` documents: one resource
AUTH_SERVER = re.compile(
    r"authorize|token|revoke|introspect|register|callback|userinfo|jwks(\.json)?|oauth2?|"
    r"openid|\.well-known",
    re.IGNORECASE,
)


def first_segment(route: Route, skip_scopes: bool) -> str:
    """The first segment of a route's full path that names what it serves: ``users`` in
    ``/api/v1/users/{id}`` (and in ``/admin/users`` when scopes are skipped, in
    ``/get/users`` always). Path parameters (``/{tenant}/users``) are skipped too; ``/`` when
    nothing is left."""
    path = route.full_path if route.full_path is not None else route.path or ""
    segments = [
        segment
        for segment in path.split("/")
        if segment and not segment.startswith("{") and not VERSION.fullmatch(segment)
    ]
    for index, segment in enumerate(segments):
        if skip_scopes and SCOPE.fullmatch(segment):
            continue
        if VERB.fullmatch(segment) and index + 1 < len(segments):
            continue
        return "oauth" if AUTH_SERVER.fullmatch(segment) else segment
    return "/"


def resource_key(segment: str) -> str:
    """What a segment names, for counting resources: the last word of a compound
    (``sso_settings``, ``theme-settings``: settings) unless it is too short to be a noun
    (``vertex_ai``), in the singular (``allowed_ips``: allowed_ip)."""
    whole = segment.lower()
    last = re.split(r"[_-]", whole)[-1]
    word = last if len(last) > 3 else whole
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def endpoints(routes: list[Route]) -> list[Route]:
    """One route per handler, its first: a handler registered under several paths serves
    the resource of its first (the others are aliases: ``/v1/responses``, ``/responses``)."""
    first_paths: dict[object, Route] = {}
    for route in sorted(routes, key=lambda r: (r.call[LINE], r.call[COL])):
        handler = route.function.qualname if route.function is not None else id(route)
        first_paths.setdefault(handler, route)
    return list(first_paths.values())


def resources(endpoints: list[Route]) -> dict[str, list[str]]:
    """The resources a module's endpoints serve (by ``resource_key``), each with the first
    segment of every endpoint serving it. A module whose endpoints all sit under one scope
    (``/public/...``, ``/admin/...``) is organised by that scope: one resource. Otherwise
    scope segments are skipped: ``/admin/persona`` and ``/persona`` are one resource."""
    firsts = [first_segment(route, skip_scopes=False) for route in endpoints]
    if len(set(firsts)) > 1:
        firsts = [first_segment(route, skip_scopes=True) for route in endpoints]
    grouped: dict[str, list[str]] = {}
    for segment in firsts:
        grouped.setdefault(resource_key(segment), []).append(segment)
    return grouped


class SingleFileRouter(Rule):
    """## What it does
    Finds a module that registers many endpoints across several resources (first path
    segments, after API prefixes such as `/api`, versions such as `/v1` and path parameters
    such as `/{tenant}`), such as `/users`, `/items` and `/orders` all in `main.py`. A
    compound segment serves the resource its last word names (`/sso_settings` and
    `/theme-settings` are settings), and a plural the resource of its singular. Scope
    segments (`/admin`, `/internal`, `/public`, `/global`...) are skipped too, so a module
    serving `/admin/users` and `/users` serves one resource, unless every endpoint of the
    module sits under one scope: that module is organised by scope, one resource. The verb
    that starts an RPC-style path is skipped (`/get/users` serves `users`); the endpoints of
    an OAuth or OpenID Connect authorization server (`/authorize`, `/token`, `/revoke`,
    `/.well-known/...`) are one resource. A handler
    registered under several paths (aliases) is one endpoint. A module where one resource has
    more than half of the endpoints is that resource's module, extras and all: not reported.
    Thresholds are options: `min-routes` (default 12 endpoints) and `min-resources` (default
    3) in `[tool.fastapi-lint.single-file-router]`. Routes registered in test modules
    (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`) serve a test client and are not
    counted.

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

    ## Fix
    None: how to split a module into routers (which resources go together, where the shared
    dependencies live) is a design decision, not an edit a tool can make safely.
    """

    code = "FAL301"
    name = "single-file-router"
    summary = "Many resources' routes in one module"
    message = (
        "Module registers {routes} endpoints across {count} resources ({resources}): split them "
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
            served = endpoints(routes)
            grouped = resources(served)
            if len(served) < options.min_routes or len(grouped) < options.min_resources:
                continue
            if max(map(len, grouped.values())) * 2 > len(served):  # its module, and extras
                continue
            first = served[0]  # the module's first route: endpoints keep them in order
            names = sorted(segments[0] for segments in grouped.values())
            shown = ", ".join(f"/{r}" if r != "/" else r for r in names[:8])
            if len(names) > 8:
                shown += ", ..."
            message = self.message.format(routes=len(served), count=len(names), resources=shown)
            yield context.finding(
                self.code, message, first.module, first.call[LINE], first.call[COL]
            )
