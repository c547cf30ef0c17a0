"""FAL401: a FastAPI app with no CORSMiddleware anywhere in the project."""

from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.fastapi_model import ANY_APP, CORS_CLASSES
from fastapi_lint.findings import Finding
from fastapi_lint.project import Project, is_example_module, is_test_module
from fastapi_lint.rules import Rule
from fastapi_lint.summary import FUNC


class MissingCors(Rule):
    """## What it does
    Finds `FastAPI()` apps to which no `CORSMiddleware` (or a subclass of it, or a project
    middleware that builds one and delegates to it) is added anywhere in the project: not with
    `app.add_middleware(...)`, not in `FastAPI(middleware=[...])`, and not by wrapping the app.
    Apps mounted inside another app (`mount`, or `host` for a host name), apps in test modules
    and example apps (under `docs/`, `docs_src/`, `examples/`, `example/`) are not reported.

    ## Why is this bad?
    Without CORS middleware, browsers refuse to let a front end on another origin read the API's
    responses, and the usual quick fix under deadline pressure is a wildcard configuration.
    Declaring the allowed origins up front makes the policy explicit and reviewable.

    ## Example
    ```python
    app = FastAPI()
    ```

    ## Use instead
    ```python
    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://app.example.com"],
        allow_methods=["GET", "POST"],
    )
    ```

    ## Known problems
    An API that is only ever called server to server, or behind a proxy that handles CORS, does
    not need the middleware: silence the finding with `# noqa: FAL401` on the app's line.

    ## Fix
    None: the origins an app may be called from are the team's to declare; a guessed list
    would either block the real front end or allow too much.
    """

    code = "FAL401"
    name = "missing-cors"
    summary = "FastAPI app without CORSMiddleware"
    message = "FastAPI app `{app}` has no CORSMiddleware: declare the origins that may call it"

    @staticmethod
    def is_cors(project: Project, class_name: str) -> bool:
        """``CORSMiddleware``, a subclass, or a project middleware whose methods build one
        (a wrapper that delegates to ``CORSMiddleware(app, ...)``)."""
        if project.is_subclass(class_name, CORS_CLASSES):
            return True
        return any(
            value.kind in ("class", "external") and project.is_subclass(value.name, CORS_CLASSES)
            for function in project.methods().get(class_name, ())
            for call, _ in function.calls
            for value in project.infer(call[FUNC])
        )

    def check(self, context: Context) -> Iterator[Finding]:
        model = context.fastapi
        project = context.project
        covered: set[str] = set()
        for use in model.middleware:
            if any(self.is_cors(project, value.name) for value in use.classes):
                covered |= use.apps
        mounted = {child for include in model.includes if include.mount for child in include.child}
        if ANY_APP in covered:
            return
        for router in model.routers.values():
            if router.kind != "app" or router.id in covered or router.id in mounted:
                continue
            if is_test_module(router.module.path) or is_example_module(router.module.path):
                continue
            call = router.call
            message = self.message.format(app=router.label)
            yield context.at_call(self.code, message, router.module, call)
