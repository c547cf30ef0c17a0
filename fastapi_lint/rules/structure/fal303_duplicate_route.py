"""FAL303: the same method and full path registered twice in one app."""

import re
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.fastapi_model import ANY_APP, Route
from fastapi_lint.findings import Finding
from fastapi_lint.loop import receiver
from fastapi_lint.rules import Rule
from fastapi_lint.summary import LINE

PARAMETER = re.compile(r"\{[^}:]*(:[^}]*)?\}")


def shape(path: str) -> str:
    """A path with parameter names dropped: ``/users/{id}`` and ``/users/{user_id}`` match alike."""
    return PARAMETER.sub(lambda m: "{" + (m.group(1) or "") + "}", path)


def location(route: Route) -> str:
    return f"{route.module.path}:{route.line}"


def instance(route: Route) -> str:
    """The app a route is registered on, told apart per instance where names allow: an app
    that a factory function builds is a new app at each call, so routes registered on two of
    its results (``public = create_app()``, ``internal = create_app()``) are on two apps."""
    app = route.app or ""
    factory, locals_, _ = app.partition(".<locals>.")
    written = receiver(route.call)
    if not locals_ or type(written) is not list or written[1].startswith(f"{factory}.<locals>."):
        return app  # a module-level app, or routes registered inside the factory itself
    return written[1]


def conditional(route: Route) -> bool:
    """A route whose handler is defined under an `if`: one of alternatives a setting picks
    (`if settings.root_redirect: @app.get("/") ...`), not a copy."""
    return route.decorated and route.function is not None and route.function.conditional


class DuplicateRoute(Rule):
    """## What it does
    Finds a method and full path (router prefixes composed through the `include_router` tree)
    registered twice in the same app. Paths that differ only in parameter names, such as
    `/users/{id}` and `/users/{user_id}`, are the same route. Routes registered in test
    modules (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`) serve a test client and are
    not compared, and an app built by a factory function is a new app at each call: routes
    registered on two of its results (`public = create_app()`, `internal = create_app()`)
    are on two apps. A route whose handler is defined under an `if` is an alternative a
    setting picks (`if settings.root_redirect: @app.get("/") ...`), not a duplicate.

    ## Why is this bad?
    Starlette serves the first matching route; the other handler never runs, silently. It is
    often a copy-pasted endpoint, or two routers mounted under the same prefix.

    ## Example
    ```python
    @router.get("/users/{user_id}")
    def read_user(user_id: int) -> User: ...

    @router.get("/users/{id}")
    def read_user_v2(id: int) -> UserV2: ...
    ```

    ## Use instead
    ```python
    @router.get("/users/{user_id}")
    def read_user(user_id: int) -> User: ...

    @router.get("/v2/users/{id}")
    def read_user_v2(id: int) -> UserV2: ...
    ```

    ## Fix
    None: whether to drop one of the handlers or move it to another path is the team's call.
    """

    code = "FAL303"
    name = "duplicate-route"
    summary = "Same method and path registered twice"
    message = (
        "Route `{route}` duplicates the one at {first}: Starlette serves whichever is registered "
        "first, and the other never runs"
    )

    def check(self, context: Context) -> Iterator[Finding]:
        first_seen: dict[tuple[str, bool, str, str], Route] = {}
        served = context.fastapi.served_routes()
        ordered = sorted(served, key=lambda r: (r.module.path, r.call[LINE]))
        for route in ordered:
            if route.app in (None, ANY_APP) or route.full_path is None:
                continue  # an app we cannot name may be one of several, built conditionally
            for method in route.methods:
                key = (instance(route), route.websocket, method, shape(route.full_path))
                first = first_seen.setdefault(key, route)
                if first is route or conditional(first) or conditional(route):
                    continue
                message = self.message.format(route=route.label, first=location(first))
                yield context.at_route(self.code, message, route)
                break
