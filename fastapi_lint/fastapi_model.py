"""The FastAPI model of a project: apps, routers, routes, includes, middleware and handlers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi_lint.knowledge.types import CLASS_BASES
from fastapi_lint.project import DIRECT, Project, Value, is_test_module
from fastapi_lint.summary import (
    ARGS,
    ATTRIBUTE,
    CALL,
    CALL_METHODS,
    FUNC,
    INSTANCE,
    LINE,
    MAPPING,
    P_DEFAULT,
    PARAMETER,
    ROUTE_METHODS,
    SEQUENCE,
    VERSIONED_INCLUDE,
    Expr,
    Function,
    ModuleSummary,
    keyword,
    kind,
    may_register,
    name,
)

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
DECORATORS = frozenset({"middleware", "on_event", "exception_handler"})
ANY_APP = "<any app>"


@dataclass(slots=True)
class Router:
    """A ``FastAPI()`` app or an ``APIRouter()``, identified by the name bound to it."""

    id: str
    kind: str  # app | router
    call: Expr
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
    call: Expr
    module: ModuleSummary
    function: Function | None = None
    decorated: bool = False
    full_path: str | None = None
    app: str | None = None
    # the routers from the route's own up the includes to the app whose routes it is part of
    # (a mounted app, else the top): where its response class defaults come from, first wins
    owners: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        """Where findings about the route go: the ``def`` of a decorated endpoint, else the
        registering call."""
        return self.function.line if self.decorated and self.function else self.call[LINE]

    @property
    def label(self) -> str:
        """``GET /users/{id}``, as much of it as is known."""
        method = "WEBSOCKET" if self.websocket else "/".join(self.methods)
        path = self.full_path if self.full_path is not None else self.path
        return f"{method} {path if path is not None else '<dynamic path>'}"


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
    config: Expr
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
    unresolved_includes: int = 0
    documentation: set[str] = field(default_factory=set)  # endpoints of OpenAPI callbacks

    def included(self) -> set[str]:
        """The routers some ``include_router`` (or ``mount``) connects to a parent."""
        return {child for include in self.includes for child in include.child}

    def served_routes(self) -> list[Route]:
        """The routes registered outside test modules: the routes of an app that a test
        builds serve its test client, not users."""
        return [route for route in self.routes if not is_test_module(route.module.path)]


def literal_str(project: Project, expr: Expr) -> str | None:
    value = project.literal(expr)
    return value if isinstance(value, str) else None


class ModelBuilder:
    """Builds the FastAPI model from the project model."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.model = FastAPIModel()
        self._receivers: dict[object, frozenset[str]] = {}
        self._callbacks: set[str] = set()  # routers whose routes are OpenAPI callbacks
        self._returned: dict[int, str] = {}  # `FastAPI(...)` calls functions return -> router

    def build(self) -> FastAPIModel:
        self.find_routers()
        for router in list(self.model.routers.values()):
            self.constructor(router)
        for qualname, function in self.project.functions.items():
            for decorator in function.decorators:
                if kind(decorator) == CALL:
                    self.decorator(decorator, function, self.project.module_of[qualname])
        for summary in self.project.modules.values():
            for call in registering(summary.module_calls):
                self.call(call, None, summary)
            for qualname in summary.registering:
                function = summary.functions[qualname]
                for call in registering(function.calls):
                    self.call(call, function, summary)
        self.drop_callback_routes()
        self.resolve_paths()
        return self.model

    # -- apps and routers ------------------------------------------------------------

    def class_kind(self, values: frozenset[Value]) -> str | None:
        """``app`` or ``router`` when the values are the FastAPI or APIRouter class."""
        for value in values:
            if value.kind in ("external", "class"):
                if self.project.is_subclass(value.name, APP_CLASSES):
                    return "app"
                if self.project.is_subclass(value.name, ROUTER_CLASSES):
                    return "router"
        return None

    def find_routers(self) -> None:
        """Every name bound to ``FastAPI(...)`` or ``APIRouter(...)`` (or a subclass), and
        every such call a function returns (``create_app()``, when it returns the call)."""
        names = {"FastAPI", "APIRouter"}
        known = [*self.project.classes, *CLASS_BASES]  # the project's, and third-party ones
        for class_name in known:
            if self.project.is_subclass(class_name, APP_CLASSES | ROUTER_CLASSES):
                names.add(class_name.rpartition(".")[2])
        for qualname, values in self.project.bindings.items():
            for value in values:  # most bindings build nothing of the kind: tested inline
                if (
                    type(value) is tuple
                    and value[0] == CALL
                    and type(value[FUNC]) is list
                    and value[FUNC][1].rpartition(".")[2] in names
                    and self.router(qualname, value, names, None)
                ):
                    break
        for qualname, function in self.project.functions.items():
            # named as a local of its factory: each call builds another (`create_app()`)
            returned = f"{qualname}.<locals>.{function.name}()"
            for value in function.returns:
                if self.router(returned, value, names, self.project.module_of[qualname]):
                    self._returned[id(value)] = returned
                    break

    def router(
        self, qualname: str, value: Expr, names: set[str], module: ModuleSummary | None
    ) -> bool:
        """Record ``value`` as an app or router under ``qualname`` if it builds one (defined in
        ``module``, else in the module its name starts with)."""
        if type(value) is not tuple or value[0] != CALL or type(value[FUNC]) is not list:
            return False
        if value[FUNC][1].rpartition(".")[2] not in names:
            return False
        router_kind = self.class_kind(self.project.infer(value[FUNC]))
        if not router_kind:
            return False
        prefix = self.project.text(keyword(value, "prefix")) or ""
        module = module or self.module_for(qualname)
        self.model.routers[qualname] = Router(qualname, router_kind, value, module, prefix)
        return True

    def module_for(self, qualname: str) -> ModuleSummary:
        """The module a qualified name is defined in: the longest module prefix."""
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            module = self.project.modules.get(".".join(parts[:end]))
            if module is not None:
                return module
        raise KeyError(qualname)

    def receivers(self, expr: Expr, depth: int = 0) -> frozenset[str]:
        """The apps/routers an expression can be (``ANY_APP`` for an annotated parameter)."""
        if expr is None or depth > 12:
            return frozenset()
        key: object = expr[1] if type(expr) is list else id(expr)
        known = self._receivers.get(key)
        if known is not None:
            return known
        self._receivers[key] = frozenset()
        result: set[str] = set()
        project = self.project
        tag = expr[0]
        if type(expr) is list:
            qualname = expr[1]
            if qualname in self.model.routers:
                result.add(qualname)
            elif qualname in project.bindings:
                for value in project.bindings[qualname]:
                    result |= self.receivers(value, depth + 1)
            elif "." in qualname:
                result |= self.held(*qualname.rsplit(".", 1))
                if not result and qualname.endswith(".router"):
                    result |= self.receivers(name(qualname[: -len(".router")]), depth + 1)
        elif tag == CALL:
            if id(expr) in self._returned:  # `return FastAPI(...)`
                result.add(self._returned[id(expr)])
            for callee, how in project.callees(expr[FUNC]):
                if how == DIRECT:
                    for returned in project.functions[callee].returns:
                        result |= self.receivers(returned, depth + 1)
        elif tag in (PARAMETER, INSTANCE):
            annotation = expr[3] if tag == PARAMETER else expr[1]
            if self.class_kind(project.infer(annotation)):
                result.add(ANY_APP)
        frozen = frozenset(result)
        self._receivers[key] = frozen
        return frozen

    def held(self, owner: str, attr: str) -> set[str]:
        """Apps and routers an object holds as an attribute: ``view.router`` where ``view`` is
        an instance of a class that sets ``self.router = APIRouter()``."""
        found = set()
        for value in self.project.resolve(owner):
            if value.kind in ("class", "instance") and value.name in self.project.classes:
                for base in self.project.mro(value.name):
                    if f"{base}.{attr}" in self.model.routers:
                        found.add(f"{base}.{attr}")
        return found

    def split(self, func: Expr) -> tuple[Expr, str]:
        """``(receiver, attribute)`` of an attribute expression: a method call's function,
        or ``router.routes``."""
        if type(func) is list and "." in func[1]:
            prefix, method = func[1].rsplit(".", 1)
            return name(prefix), method
        if kind(func) == ATTRIBUTE:
            return func[1], func[2]
        return None, ""

    # -- registrations -----------------------------------------------------------------

    def constructor(self, router: Router) -> None:
        """Keyword arguments of ``FastAPI(...)``/``APIRouter(...)`` that register things."""
        call, apps = router.call, frozenset({router.id})
        self.callbacks(call)
        dependencies = keyword(call, "dependencies")
        if dependencies is not None:
            self.model.dependencies.append((apps, dependencies))
        lifespan = keyword(call, "lifespan")
        if lifespan is not None:
            self.handler(lifespan, "lifespan", apps)
        for event in ("startup", "shutdown"):
            for item in items(keyword(call, f"on_{event}")):
                self.handler(item, f"{event} handler", apps)
        handlers = keyword(call, "exception_handlers")
        if kind(handlers) == MAPPING:
            for value in handlers[2]:
                self.handler(value, "exception handler", apps)
        for item in items(keyword(call, "middleware")):
            if kind(item) == CALL and self.infers_to(item[FUNC], MIDDLEWARE_WRAPPERS):
                cls = item[ARGS][0] if item[ARGS] else None
                self.add_middleware(apps, cls, item, router.module)

    def infers_to(self, expr: Expr, names: frozenset[str]) -> bool:
        return any(v.name in names for v in self.project.infer(expr))

    def handler(self, expr: Expr, handler_kind: str, apps: frozenset[str]) -> None:
        """The functions ``expr`` can be, registered as handlers; a factory's parameter (``def
        create_app(lifespan=lifespan): FastAPI(lifespan=lifespan)``) is also its default."""
        values = set(self.project.infer(expr))
        if type(expr) is list:
            for bound in self.project.bindings.get(expr[1], ()):
                if kind(bound) == PARAMETER and bound[P_DEFAULT] is not None:
                    values |= self.project.infer(bound[P_DEFAULT])
        for value in sorted(values):
            if value.kind == "function":
                self.model.handlers.append(Handler(value.name, handler_kind, apps))

    def add_middleware(
        self, apps: frozenset[str], cls: Expr, config: Expr, module: ModuleSummary
    ) -> None:
        """A middleware class configured by ``config``; its dispatch or ``__call__`` is on-loop."""
        classes = frozenset(v for v in self.project.infer(cls) if v.kind in ("class", "external"))
        self.model.middleware.append(MiddlewareUse(apps, classes, config, module))
        for value in classes:
            if value.kind != "class":
                continue
            if self.project.is_subclass(value.name, BASE_HTTP_MIDDLEWARE):
                self.handler(name(f"{value.name}.dispatch"), "middleware", apps)
            else:
                self.handler(name(f"{value.name}.__call__"), "middleware", apps)

    def decorator(self, call: Expr, function: Function, module: ModuleSummary) -> None:
        """``@app.get(...)``, ``@app.middleware("http")``, ``@app.on_event(...)``..."""
        receiver, method = self.split(call[FUNC])
        if receiver is None or (method not in ROUTE_METHODS and method not in DECORATORS):
            return
        apps = self.receivers(receiver)
        if not apps:
            return
        first = call[ARGS][0] if call[ARGS] else None
        if method in ROUTE_METHODS:
            self.route(apps, method, call, first, function, module, decorated=True)
        elif method == "middleware":
            self.model.handlers.append(Handler(function.qualname, "middleware", apps))
        elif method == "on_event":
            event = literal_str(self.project, first) or "startup"
            self.model.handlers.append(Handler(function.qualname, f"{event} handler", apps))
        else:
            self.model.handlers.append(Handler(function.qualname, "exception handler", apps))

    def route(
        self,
        apps: frozenset[str],
        method: str,
        call: Expr,
        path: Expr,
        function: Function | None,
        module: ModuleSummary,
        decorated: bool = False,
    ) -> None:
        path = path if path is not None else keyword(call, "path")
        if method in HTTP_METHODS:
            methods = HTTP_METHODS[method]
        else:
            listed = self.project.literal(keyword(call, "methods"))
            strings = [m.upper() for m in listed or () if isinstance(m, str)]
            methods = tuple(strings) if strings else ("GET",)
        route = Route(
            routers=apps,
            methods=methods,
            path=self.project.text(path),
            endpoint=function.qualname if function else None,
            websocket=method in ("websocket", "add_api_websocket_route"),
            call=call,
            module=module,
            function=function,
            decorated=decorated,
        )
        self.model.routes.append(route)
        self.callbacks(call)
        dependencies = keyword(call, "dependencies")
        if dependencies is not None:
            self.model.dependencies.append((apps, dependencies))

    def callbacks(self, call: Expr) -> None:
        """The router behind ``callbacks=router.routes``: its routes document requests the API
        sends (OpenAPI callbacks), FastAPI never serves them."""
        owner, attribute = self.split(keyword(call, "callbacks"))
        if attribute == "routes":
            self._callbacks |= self.receivers(owner)

    def drop_callback_routes(self) -> None:
        """Routes of routers used only as OpenAPI callbacks are not routes of the app."""
        documentary = self._callbacks - self.model.included()
        if documentary:
            kept = []
            for route in self.model.routes:
                if not route.routers <= documentary:
                    kept.append(route)
                elif route.endpoint is not None:
                    self.model.documentation.add(route.endpoint)
            self.model.routes = kept

    def call(self, call: Expr, function: Function | None, module: ModuleSummary) -> None:
        """Registrations made by calling a method of an app or router."""
        if kind(call[FUNC]) == CALL:
            self.called_decorator(call, module)
            return
        receiver, method = self.split(call[FUNC])
        args = call[ARGS]
        if method == "add_task" and function is not None and args:
            self.model.background_tasks.append((function, args[0]))
            return
        if receiver is None or method not in CALL_METHODS:
            self.wrapper(call, module)
            return
        apps = self.receivers(receiver)
        if not apps:
            if method not in ("add_middleware", "include_router"):
                return
            apps = frozenset({ANY_APP})  # an app we cannot name, e.g. `self.app`
        if method == "include_router":
            child = self.receivers(args[0] if args else keyword(call, "router"))
            if not child:
                self.model.unresolved_includes += 1
            prefix = self.project.text(keyword(call, "prefix")) or ""
            self.model.includes.append(Include(apps, child, prefix, mount=False))
            self.callbacks(call)
            dependencies = keyword(call, "dependencies")
            if dependencies is not None:
                self.model.dependencies.append((child, dependencies))
        elif method == VERSIONED_INCLUDE:  # Cadwyn: each router, in every API version
            for router in args:
                self.model.includes.append(Include(apps, self.receivers(router), "", mount=False))
        elif method == "mount":
            child = self.receivers(args[1] if len(args) > 1 else keyword(call, "app"))
            prefix = self.project.text(args[0] if args else keyword(call, "path")) or ""
            self.model.includes.append(Include(apps, child, prefix, mount=True))
        elif method == "host":  # `app.host("api.example.com", api)`: served for that host
            child = self.receivers(args[1] if len(args) > 1 else keyword(call, "app"))
            self.model.includes.append(Include(apps, child, "", mount=True))
        elif method in ("add_api_route", "add_api_websocket_route"):
            endpoint = args[1] if len(args) > 1 else keyword(call, "endpoint")
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

    def called_decorator(self, call: Expr, module: ModuleSummary) -> None:
        """``app.get("/p")(handler)``: a route decorator applied by a call."""
        decorator = call[FUNC]
        receiver, method = self.split(decorator[FUNC])
        if receiver is None or method not in ROUTE_METHODS or not call[ARGS]:
            return
        apps = self.receivers(receiver)
        functions = [v for v in self.project.infer(call[ARGS][0]) if v.kind == "function"]
        if apps and functions:
            endpoint = self.project.functions[functions[0].name]
            first = decorator[ARGS][0] if decorator[ARGS] else None
            self.route(apps, method, decorator, first, endpoint, module)

    def wrapper(self, call: Expr, module: ModuleSummary) -> None:
        """``CORSMiddleware(app, ...)``: a middleware class wrapping an app directly."""
        func = call[FUNC]
        if type(func) is not list or not func[1].endswith("Middleware") or not call[ARGS]:
            return
        apps = self.receivers(call[ARGS][0])
        if apps:
            self.add_middleware(apps, func, call, module)
        elif self.infers_to(func, CORS_CLASSES):  # built by a project middleware around `app`
            classes = frozenset(v for v in self.project.infer(func) if v.name in CORS_CLASSES)
            self.model.middleware.append(MiddlewareUse(frozenset(), classes, call, module))

    # -- paths -----------------------------------------------------------------------

    def resolve_paths(self) -> None:
        """Each route's full path and the app serving it, from the include tree."""
        parents: dict[str, list[tuple[str, str, bool]]] = {}
        for include in self.model.includes:
            for child in include.child:
                for parent in sorted(include.parent):  # the first include wins: a stable order
                    parents.setdefault(child, []).append((parent, include.prefix, include.mount))
        for route in self.model.routes:
            if len(route.routers) != 1:
                continue
            (router_id,) = route.routers
            prefix, route.app, route.owners = self.mount_point(router_id, parents)
            if route.path is not None:
                route.full_path = prefix + route.path

    def mount_point(
        self, router_id: str, parents: dict[str, list[tuple[str, str, bool]]]
    ) -> tuple[str, str | None, tuple[str, ...]]:
        """A router's full prefix, the app at the top of its include chain (first include
        wins; ``None`` when no app includes the router, even indirectly), and the routers up
        to the first mount (a mounted app serves its routes with its own defaults)."""
        prefix = ""
        current = router_id
        seen = {current}
        owners = [current]
        mounted = False
        while True:
            router = self.model.routers.get(current)
            prefix = (router.prefix if router else "") + prefix
            up = next((p for p in parents.get(current, ()) if p[0] not in seen), None)
            if up is None:
                serving = current == ANY_APP or (router is not None and router.kind == "app")
                return prefix, current if serving else None, tuple(owners)
            current, include_prefix, mount = up
            mounted = mounted or mount
            if not mounted:
                owners.append(current)
            seen.add(current)
            prefix = include_prefix + prefix


def registering(calls: list[tuple[Expr, bool]]) -> Iterator[Expr]:
    """The calls that may register something."""
    return (call for call, _ in calls if may_register(call))


def items(expr: Expr) -> tuple:
    """The items of a list or tuple display (nothing for anything else)."""
    return expr[1] if kind(expr) == SEQUENCE else ()


def build_fastapi_model(project: Project) -> FastAPIModel:
    """The FastAPI model of a project."""
    return ModelBuilder(project).build()
