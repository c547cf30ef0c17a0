"""The FastAPI model of a project: apps, routers, routes, includes, middleware and handlers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi_lint.project import Project, Value
from fastapi_lint.summary import Call, Expr, Function, InstanceOf, ModuleSummary, Name, Parameter

APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
ROUTER_CLASSES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
CORS_CLASSES = frozenset(
    {"fastapi.middleware.cors.CORSMiddleware", "starlette.middleware.cors.CORSMiddleware"}
)
MIDDLEWARE_WRAPPERS = frozenset(
    {"starlette.middleware.Middleware", "fastapi.middleware.Middleware"}
)
BASE_HTTP_MIDDLEWARE = frozenset({"starlette.middleware.base.BaseHTTPMiddleware"})
RESPONSE_CLASSES = frozenset(
    {"starlette.responses.Response", "fastapi.responses.Response", "fastapi.Response"}
)
HTTP_METHODS = {
    "get": ("GET",),
    "post": ("POST",),
    "put": ("PUT",),
    "patch": ("PATCH",),
    "delete": ("DELETE",),
    "head": ("HEAD",),
    "options": ("OPTIONS",),
    "trace": ("TRACE",),
}
ROUTE_DECORATORS = frozenset([*HTTP_METHODS, "api_route", "websocket"])
CALL_METHODS = frozenset(
    {
        "include_router",
        "add_api_route",
        "add_api_websocket_route",
        "add_middleware",
        "add_exception_handler",
        "add_event_handler",
        "mount",
    }
)
ANY_APP = "<any app>"


@dataclass(slots=True)
class Router:
    """A ``FastAPI()`` app or an ``APIRouter()``, identified by the name bound to it."""

    id: str
    kind: str  # app | router
    call: Call
    module: ModuleSummary
    prefix: str

    @property
    def label(self) -> str:
        return self.id.rsplit(".", 1)[-1]


@dataclass(slots=True)
class Route:
    """A path operation registered on an app or router."""

    routers: frozenset[str]
    methods: tuple[str, ...]
    path: str | None
    endpoint: str | None
    websocket: bool
    call: Call
    module: ModuleSummary
    function: Function | None = None
    decorated: bool = False
    full_path: str | None = None

    @property
    def label(self) -> str:
        """``GET /users/{id}``, as much of it as is known."""
        method = "WEBSOCKET" if self.websocket else "/".join(self.methods)
        path = self.full_path if self.full_path is not None else self.path
        return f"{method} {path}" if path is not None else method


@dataclass(slots=True)
class Include:
    """``parent.include_router(child, prefix=...)`` or ``parent.mount(path, child)``."""

    parent: frozenset[str]
    child: frozenset[str]
    prefix: str
    mount: bool


@dataclass(slots=True)
class MiddlewareUse:
    """A middleware class added to an app, with the call that configures it."""

    apps: frozenset[str]
    classes: frozenset[Value]
    config: Call
    module: ModuleSummary


@dataclass(slots=True)
class Handler:
    """A function the framework runs itself: middleware, lifespan, event or exception handler."""

    function: str
    kind: str
    apps: frozenset[str]


@dataclass
class FastAPIModel:
    """What the project registers with FastAPI."""

    routers: dict[str, Router] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    middleware: list[MiddlewareUse] = field(default_factory=list)
    handlers: list[Handler] = field(default_factory=list)
    dependencies: list[tuple[frozenset[str], Expr]] = field(default_factory=list)
    background_tasks: list[tuple[Function, Expr]] = field(default_factory=list)


def literal_str(project: Project, expr: Expr | None) -> str | None:
    value = project.literal(expr)
    return value if isinstance(value, str) else None


class ModelBuilder:
    """Builds the FastAPI model from the project model."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.model = FastAPIModel()
        self._receivers: dict[object, frozenset[str]] = {}

    def build(self) -> FastAPIModel:
        self.find_routers()
        for router in list(self.model.routers.values()):
            self.constructor(router)
        for qualname, function in self.project.functions.items():
            for decorator in function.decorators:
                if isinstance(decorator, Call):
                    self.decorator(decorator, function, self.project.module_of[qualname])
        for summary in self.project.modules.values():
            for site in summary.module_calls:
                self.call(site.call, None, summary)
            for function in summary.functions.values():
                for site in function.calls:
                    self.call(site.call, function, summary)
        self.resolve_paths()
        return self.model

    # -- apps and routers ------------------------------------------------------------

    def class_kind(self, values: frozenset[Value]) -> str | None:
        """``app`` or ``router`` when the values are the FastAPI or APIRouter class."""
        for value in values:
            if value.kind == "external" or value.kind == "class":
                if self.project.is_subclass(value.name, APP_CLASSES):
                    return "app"
                if self.project.is_subclass(value.name, ROUTER_CLASSES):
                    return "router"
        return None

    def find_routers(self) -> None:
        names = {"FastAPI", "APIRouter"}
        for class_ in self.project.classes.values():
            if self.project.is_subclass(class_.qualname, APP_CLASSES | ROUTER_CLASSES):
                names.add(class_.name)
        for qualname, values in self.project.bindings.items():
            for value in values:
                if not (isinstance(value, Call) and isinstance(value.func, Name)):
                    continue
                if value.func.qualname.rsplit(".", 1)[-1] not in names:
                    continue
                kind = self.class_kind(self.project.infer(value.func))
                if kind:
                    module = self.module_for(qualname)
                    prefix = literal_str(self.project, value.keyword("prefix")) or ""
                    self.model.routers[qualname] = Router(qualname, kind, value, module, prefix)
                    break

    def module_for(self, qualname: str) -> ModuleSummary:
        """The module a qualified name is defined in."""
        best = None
        for module in self.project.modules:
            if (qualname.startswith(module + ".") or qualname == module) and (
                best is None or len(module) > len(best)
            ):
                best = module
        assert best is not None
        return self.project.modules[best]

    def receivers(self, expr: Expr | None, depth: int = 0) -> frozenset[str]:
        """The apps/routers an expression can be (``ANY_APP`` for an annotated parameter)."""
        if expr is None or depth > 12:
            return frozenset()
        key: object = expr.qualname if isinstance(expr, Name) else id(expr)
        known = self._receivers.get(key)
        if known is not None:
            return known
        self._receivers[key] = frozenset()
        result: set[str] = set()
        project = self.project
        if isinstance(expr, Name):
            qualname = expr.qualname
            if qualname in self.model.routers:
                result.add(qualname)
            elif qualname in project.bindings:
                for value in project.bindings[qualname]:
                    result |= self.receivers(value, depth + 1)
            elif qualname.endswith(".router"):
                result |= self.receivers(Name(qualname[: -len(".router")]), depth + 1)
        elif isinstance(expr, Call):
            for value in project.infer(expr.func):
                if value.kind == "function":
                    for returned in project.functions[value.name].returns:
                        result |= self.receivers(returned, depth + 1)
        elif isinstance(expr, (Parameter, InstanceOf)) and self.class_kind(
            project.infer(expr.annotation)
        ):
            result.add(ANY_APP)
        frozen = frozenset(result)
        self._receivers[key] = frozen
        return frozen

    def split(self, func: Expr) -> tuple[Expr | None, str]:
        """``(receiver, method)`` of a method call's function expression."""
        if isinstance(func, Name) and "." in func.qualname:
            prefix, method = func.qualname.rsplit(".", 1)
            return Name(prefix), method
        attr = getattr(func, "attr", None)
        if attr is not None:
            return func.value, attr  # type: ignore[attr-defined]
        return None, ""

    # -- registrations -----------------------------------------------------------------

    def constructor(self, router: Router) -> None:
        """Keyword arguments of ``FastAPI(...)``/``APIRouter(...)`` that register things."""
        call, apps = router.call, frozenset({router.id})
        dependencies = call.keyword("dependencies")
        if dependencies is not None:
            self.model.dependencies.append((apps, dependencies))
        lifespan = call.keyword("lifespan")
        if lifespan is not None:
            self.handler(lifespan, "lifespan", apps)
        for key, kind in (("on_startup", "startup handler"), ("on_shutdown", "shutdown handler")):
            for item in getattr(call.keyword(key), "items", ()):
                self.handler(item, kind, apps)
        handlers = call.keyword("exception_handlers")
        for value in getattr(handlers, "values", ()):
            self.handler(value, "exception handler", apps)
        for item in getattr(call.keyword("middleware"), "items", ()):
            if isinstance(item, Call) and self.infers_to(item.func, MIDDLEWARE_WRAPPERS):
                self.add_middleware(apps, item.args[0] if item.args else None, item, router.module)

    def infers_to(self, expr: Expr, names: frozenset[str]) -> bool:
        return any(v.name in names for v in self.project.infer(expr))

    def handler(self, expr: Expr, kind: str, apps: frozenset[str]) -> None:
        for value in self.project.infer(expr):
            if value.kind == "function":
                self.model.handlers.append(Handler(value.name, kind, apps))

    def add_middleware(
        self, apps: frozenset[str], cls: Expr | None, config: Call, module: ModuleSummary
    ) -> None:
        classes = frozenset(v for v in self.project.infer(cls) if v.kind in ("class", "external"))
        self.model.middleware.append(MiddlewareUse(apps, classes, config, module))
        for value in classes:
            if value.kind != "class":
                continue
            if self.project.is_subclass(value.name, BASE_HTTP_MIDDLEWARE):
                self.handler(Name(f"{value.name}.dispatch"), "middleware", apps)
            else:
                self.handler(Name(f"{value.name}.__call__"), "middleware", apps)

    def decorator(self, call: Call, function: Function, module: ModuleSummary) -> None:
        receiver, method = self.split(call.func)
        if receiver is None:
            return
        if method not in ROUTE_DECORATORS and method not in (
            "middleware",
            "on_event",
            "exception_handler",
        ):
            return
        apps = self.receivers(receiver)
        if not apps:
            return
        if method in ROUTE_DECORATORS:
            path = call.args[0] if call.args else None
            self.route(apps, method, call, path, function, module, decorated=True)
        elif method == "middleware":
            self.model.handlers.append(Handler(function.qualname, "middleware", apps))
        elif method == "on_event":
            event = literal_str(self.project, call.args[0] if call.args else None) or "startup"
            self.model.handlers.append(Handler(function.qualname, f"{event} handler", apps))
        else:
            self.model.handlers.append(Handler(function.qualname, "exception handler", apps))

    def route(
        self,
        apps: frozenset[str],
        method: str,
        call: Call,
        path: Expr | None,
        function: Function | None,
        module: ModuleSummary,
        decorated: bool = False,
    ) -> None:
        path = path if path is not None else call.keyword("path")
        if method in HTTP_METHODS:
            methods = HTTP_METHODS[method]
        else:
            listed = self.project.literal(call.keyword("methods"))
            methods = tuple(m.upper() for m in listed if isinstance(m, str)) if listed else ("GET",)
        route = Route(
            routers=apps,
            methods=methods,
            path=literal_str(self.project, path),
            endpoint=function.qualname if function else None,
            websocket=method in ("websocket", "add_api_websocket_route"),
            call=call,
            module=module,
            function=function,
            decorated=decorated,
        )
        self.model.routes.append(route)
        dependencies = call.keyword("dependencies")
        if dependencies is not None:
            self.model.dependencies.append((apps, dependencies))

    def call(self, call: Call, function: Function | None, module: ModuleSummary) -> None:
        """Registrations made by calling a method of an app or router."""
        receiver, method = self.split(call.func)
        if receiver is None:
            return
        if method == "add_task" and function is not None and call.args:
            self.model.background_tasks.append((function, call.args[0]))
            return
        if method not in CALL_METHODS:
            return
        apps = self.receivers(receiver)
        if not apps:
            return
        args = call.args
        if method == "include_router":
            child = self.receivers(args[0] if args else call.keyword("router"))
            prefix = literal_str(self.project, call.keyword("prefix")) or ""
            self.model.includes.append(Include(apps, child, prefix, mount=False))
            dependencies = call.keyword("dependencies")
            if dependencies is not None:
                self.model.dependencies.append((child, dependencies))
        elif method == "mount":
            child = self.receivers(args[1] if len(args) > 1 else call.keyword("app"))
            prefix = literal_str(self.project, args[0] if args else call.keyword("path")) or ""
            self.model.includes.append(Include(apps, child, prefix, mount=True))
        elif method in ("add_api_route", "add_api_websocket_route"):
            endpoint = args[1] if len(args) > 1 else call.keyword("endpoint")
            functions = [v for v in self.project.infer(endpoint) if v.kind == "function"]
            target = self.project.functions[functions[0].name] if functions else None
            verb = "websocket" if method == "add_api_websocket_route" else "api_route"
            self.route(apps, verb, call, args[0] if args else None, target, module)
        elif method == "add_middleware":
            self.add_middleware(apps, args[0] if args else None, call, module)
        elif method == "add_exception_handler" and len(args) > 1:
            self.handler(args[1], "exception handler", apps)
        elif method == "add_event_handler" and len(args) > 1:
            event = literal_str(self.project, args[0]) or "startup"
            self.handler(args[1], f"{event} handler", apps)

    # -- paths -----------------------------------------------------------------------

    def resolve_paths(self) -> None:
        """Compose each route's full path from the include tree (first include wins)."""
        parents: dict[str, list[tuple[str, str]]] = {}
        for include in self.model.includes:
            for child in include.child:
                for parent in include.parent:
                    parents.setdefault(child, []).append((parent, include.prefix))
        prefixes: dict[str, str] = {}

        def prefix_of(router_id: str, seen: frozenset[str]) -> str:
            if router_id in prefixes:
                return prefixes[router_id]
            router = self.model.routers.get(router_id)
            own = router.prefix if router else ""
            outer = ""
            for parent, include_prefix in parents.get(router_id, ()):
                if parent not in seen:
                    outer = prefix_of(parent, seen | {router_id}) + include_prefix
                    break
            prefixes[router_id] = outer + own
            return prefixes[router_id]

        for route in self.model.routes:
            if route.path is None or len(route.routers) != 1:
                continue
            (router_id,) = route.routers
            route.full_path = prefix_of(router_id, frozenset()) + route.path


def build_fastapi_model(project: Project) -> FastAPIModel:
    """The FastAPI model of a project."""
    return ModelBuilder(project).build()
