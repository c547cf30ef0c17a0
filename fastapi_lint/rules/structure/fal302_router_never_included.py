"""FAL302: an APIRouter with routes that no app includes."""

from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.findings import Finding
from fastapi_lint.project import is_test_module
from fastapi_lint.rules import Rule


class RouterNeverIncluded(Rule):
    """## What it does
    Finds an `APIRouter` that registers routes but that no `include_router` connects to an app,
    directly or through other routers.

    Not reported when the project includes a router the analysis cannot name (for example one
    loaded with `importlib`), since that one may be this router; nor in test modules; nor for a
    router whose routes are OpenAPI callbacks (`callbacks=router.routes`), which are never served.

    ## Why is this bad?
    Routes on a router that is never included are not served: clients get 404, and the endpoints
    are missing from the OpenAPI schema. It usually means a forgotten
    `app.include_router(...)` after a refactor.

    ## Example
    ```python
    # routers/orders.py
    router = APIRouter(prefix="/orders")

    @router.get("/")
    def list_orders() -> list[Order]: ...

    # main.py
    app = FastAPI()
    app.include_router(users.router)
    ```

    ## Use instead
    ```python
    app.include_router(users.router)
    app.include_router(orders.router)
    ```

    ## Fix
    None: whether the router should be included (and under which app and prefix) or deleted
    is for the team to decide.
    """

    code = "FAL302"
    name = "router-never-included"
    summary = "Router whose routes no app serves"
    message = "APIRouter `{router}` has {count} route(s) but no app includes it{detail}"

    def check(self, context: Context) -> Iterator[Finding]:
        model = context.fastapi
        if model.unresolved_includes:
            return
        included = model.included()
        counts: dict[str, int] = {}
        served: set[str] = set()
        for route in model.routes:
            for router_id in route.routers:
                counts[router_id] = counts.get(router_id, 0) + 1
                if route.app is not None:
                    served.add(router_id)
        for router_id, count in counts.items():
            router = model.routers.get(router_id)
            if router is None or router.kind == "app" or router_id in served:
                continue
            if is_test_module(router.module.path):
                continue
            detail = ", only routers that are never included do" if router_id in included else ""
            message = self.message.format(router=router.label, count=count, detail=detail)
            yield context.at_call(self.code, message, router.module, router.call)
