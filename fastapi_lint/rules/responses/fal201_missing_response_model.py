"""FAL201: a route whose response is not declared by a model."""

import ast
import dataclasses
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.fastapi_model import FastAPIModel, Route
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import UNSAFE, Edit, Fix, Source
from fastapi_lint.project import Project
from fastapi_lint.rules import Rule
from fastapi_lint.summary import (
    AWAIT,
    CALL,
    CONSTANT,
    FUNC,
    NAME,
    SUBSCRIPT,
    UNION,
    UNKNOWN,
    Expr,
    Function,
    keyword,
    kind,
)

MAPPINGS = frozenset(
    {
        "builtins.dict",
        "typing.Dict",
        "typing.Mapping",
        "typing.MutableMapping",
        "collections.abc.Mapping",
        "collections.abc.MutableMapping",
    }
)
UNFILTERED = MAPPINGS | {"builtins.object", "typing.Any", "typing_extensions.Any"}
CONTAINERS = frozenset(
    {
        "builtins.list",
        "builtins.set",
        "builtins.tuple",
        "builtins.frozenset",
        "typing.List",
        "typing.Set",
        "typing.Tuple",
        "typing.Sequence",
        "typing.Iterable",
        "collections.abc.Sequence",
        "collections.abc.Iterable",
    }
)
WRAPPERS = frozenset(
    {"typing.Optional", "typing.Union", "typing.Annotated", "typing_extensions.Annotated"}
)
RESPONSE_MODULES = ("starlette.responses.", "fastapi.responses.")
MODEL_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel", "sqlmodel.SQLModel"})
NO_CONTENT = 204


def is_none(expr: Expr) -> bool:
    """The constant ``None`` (a ``return None``, a ``-> None``)."""
    return kind(expr) == CONSTANT and expr[1] is None


def names(project: Project, expr: Expr) -> set[str]:
    """Qualified names an annotation's head can be."""
    return {v.name for v in project.infer(expr) if v.kind in ("external", "class")}


def is_response(project: Project, class_name: str) -> bool:
    """A Starlette/FastAPI response class or a project subclass of one."""
    return any(
        base.startswith(RESPONSE_MODULES) or base in ("fastapi.Response",)
        for base in project.mro(class_name)
    )


def sends_json_by_default(project: Project, model: FastAPIModel, route: Route) -> bool:
    """Whether the route's own router, or else the routers and app it is included into up
    to the app serving it (a mounted app keeps its own defaults), leaves the default JSON
    response class in place: with ``default_response_class=HTMLResponse`` there is no body to
    filter."""
    chain = route.owners or (*sorted(route.routers), *([route.app] if route.app else []))
    owners = [model.routers.get(router_id) for router_id in chain]
    for owner in owners:
        declared = keyword(owner.call, "default_response_class") if owner else None
        if declared is not None:
            classes = [v.name for v in project.infer(declared) if v.kind in ("class", "external")]
            return not classes or any(
                base.rsplit(".", 1)[-1].endswith("JSONResponse")
                for class_name in classes
                for base in project.mro(class_name)
            )
    return True


def unfiltered(project: Project, annotation: Expr) -> bool:
    """Whether a return annotation cannot serve as a response model (dict, Any, list[dict],
    dict[str, Any]); a mapping filters as well as its values do (``dict[UUID, Item]``)."""
    tag = kind(annotation)
    if tag == UNION:
        return all(unfiltered(project, option) for option in annotation[1])
    if tag == SUBSCRIPT:
        head = names(project, annotation[1])
        if head & MAPPINGS:
            values = annotation[2][1:2]
            return not values or unfiltered(project, values[0])
        if head & UNFILTERED:
            return True
        if head & (CONTAINERS | WRAPPERS):
            items = annotation[2][:1] if "typing.Annotated" in head else annotation[2]
            items = tuple(i for i in items if not is_none(i))
            return bool(items) and all(unfiltered(project, item) for item in items)
        return False
    if tag == NAME:
        head = names(project, annotation)
        return bool(head) and head <= UNFILTERED
    return False


def returns_no_value(function: Function) -> bool:
    """A plain function (not a generator) that returns no value on any path."""
    annotation = function.returns_annotation
    return (
        not function.is_generator
        and all(is_none(e) for e in function.returns)
        and (annotation is None or is_none(annotation))
    )


def is_stub(function: Function) -> bool:
    """A body that does nothing but say it is not implemented (``...``, ``pass``, ``raise
    NotImplementedError``): what it returns is up to implementations the project may not hold."""
    return all(
        type(call[FUNC]) is list and call[FUNC][1] == "builtins.NotImplementedError"
        for call, _ in function.calls
    )


def gives_nothing(project: Project, expr: Expr) -> bool:
    """A call (awaited or not) of project functions none of which returns a value: every
    implementation of ``node.disconnect_peer(id)``, a helper that writes the reply itself.
    Stubs do not count: an abstract method alone says nothing of what runs."""
    if kind(expr) == AWAIT:
        expr = expr[1]
    if kind(expr) != CALL:
        return False
    values = project.infer(expr[FUNC])
    if not values or any(value.kind != "function" for value in values):
        return False
    functions = [project.functions[value.name] for value in values]
    bodies = [function for function in functions if not is_stub(function)]
    return bool(bodies) and all(returns_no_value(function) for function in functions)


def is_model(project: Project, qualname: str) -> bool:
    """Whether a class is a pydantic model (or an SQLModel)."""
    return not MODEL_BASES.isdisjoint(project.mro(qualname))


def built_model(value: ast.expr | None) -> tuple[str | None, ast.Call | None]:
    """What a returned value builds: ``one`` instance (``User(...)``), a ``list`` of them
    (``[User(...) for ...]``), or neither (None)."""
    if isinstance(value, ast.Call):
        return "one", value
    if isinstance(value, ast.ListComp) and isinstance(value.elt, ast.Call):
        return "list", value.elt
    return None, None


def render(expr: Expr) -> str:
    """A short source-like rendering of an annotation for messages."""
    tag = kind(expr)
    if tag == NAME:
        return expr[1].rsplit(".", 1)[-1]
    if tag == SUBSCRIPT:
        return f"{render(expr[1])}[{', '.join(render(i) for i in expr[2])}]"
    if tag == UNION:
        return " | ".join(render(o) for o in expr[1])
    if tag == CONSTANT:
        return repr(expr[1])
    return "..."


class MissingResponseModel(Rule):
    """## What it does
    Finds routes with no `response_model=` and no return annotation FastAPI can use as one: no
    annotation at all, or `dict`, `Any`, `list[dict]`, `dict[str, Any]` and the like. A mapping
    filters as well as its values do: `dict[UUID, Item]` and `dict[str, int]` are fine.

    Not reported: routes that declare `response_model=` (even `None`) or `response_class=`,
    return annotations that are `Response` classes or models, routes whose every `return` is a
    `Response` (HTML from a template's `TemplateResponse` or `get_swagger_ui_html` included),
    routes whose router, or a router or app it is included into up to the app serving it (a
    mounted app keeps its own), sends another class than JSON by default
    (`default_response_class=HTMLResponse`), `status_code=204`, routes that return no value on
    any path and yield none (they send `null`: they queue a task, delete, or raise), or return
    only what project functions returning none give (`return await node.disconnect_peer(id)`
    where no implementation returns a value; a helper that sends the reply itself), websockets,
    and routes registered in test modules (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`),
    which serve a test client. A route that yields streams what it yields (JSON Lines): that is
    its response.

    ## Why is this bad?
    Without a response model FastAPI serialises whatever the function returns. Add a field to a
    database model (a password hash, an internal flag) and it leaks to every client. The OpenAPI
    schema shows no response body either, so generated clients and docs are useless.

    ## Example
    ```python
    @router.get("/users/{user_id}")
    async def read_user(user_id: int) -> dict:
        return await users.get(user_id)
    ```

    ## Use instead
    ```python
    @router.get("/users/{user_id}")
    async def read_user(user_id: int) -> UserOut:
        return await users.get(user_id)
    ```

    ## Fix
    A decorated route without a return annotation whose every `return` builds the same
    pydantic or SQLModel model (`return User(...)`) gets that model as its annotation
    (`-> User`), and one whose every `return` is a list comprehension building it
    (`return [User(...) for row in rows]`) gets `-> list[User]`, when the module binds the
    name before the route. Unsafe (`--unsafe-fixes`):
    the response is then filtered through the model and the OpenAPI schema changes.
    """

    code = "FAL201"
    name = "missing-response-model"
    summary = "Route without a response model"
    fix = "sometimes"
    message = "Route `{route}` has no response model: {problem}; add `response_model=` or {fix}"

    def check(self, context: Context) -> Iterator[Finding]:
        model = context.fastapi
        for route in model.served_routes():
            if not sends_json_by_default(context.project, model, route):
                continue
            problem = self.problem(context.project, route)
            if problem is None:
                continue
            message = self.message.format(
                route=route.label, problem=problem, fix="a return annotation naming a model"
            )
            finding = context.at_route(self.code, message, route)
            built = self.one_model(context.project, route) if route.decorated else None
            if built is not None:
                finding = dataclasses.replace(finding, fix_hint=f"model {built}")
            yield finding

    @staticmethod
    def one_model(project: Project, route: Route) -> str | None:
        """The name of the one pydantic (or SQLModel) class that every ``return`` of an
        unannotated route builds, directly (``User(...)``) or, where the value is no call, as
        the only model the route builds (``[User(...) for ...]``, which the fixer checks):
        a return annotation naming it (or a list of it) is the response model."""
        function = route.function
        if function is None or function.returns_annotation is not None or not function.returns:
            return None
        direct = {
            value.name
            for expr in function.returns
            if kind(expr) == CALL
            for value in project.infer(expr)
        }
        others = [expr for expr in function.returns if kind(expr) != CALL]
        if any(expr is not UNKNOWN for expr in others):
            return None  # `return user`: not a shape the fix takes
        if others:  # values the summary does not keep, such as comprehensions
            direct |= {
                value.name
                for call, _ in function.calls
                for value in project.infer(call)
                if value.kind == "instance" and is_model(project, value.name)
            }
        if len(direct) != 1:
            return None
        built = next(iter(direct))
        return built.rpartition(".")[2] if is_model(project, built) else None

    def fix_for(self, finding: Finding, source: Source) -> Fix | None:
        """``-> Model`` (or ``-> list[Model]``) on a route whose every ``return`` builds the
        same model (or every one a list of it in a comprehension): unsafe."""
        hint, _, model = finding.fix_hint.partition(" ")
        if hint != "model":
            return None
        function = source.function_at(finding)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function.returns:
            return None
        returns = source.returns_of(function)
        if not returns or not isinstance(function.body[-1], (ast.Return, ast.Raise)):
            return None  # a bare `return`, or running off the end, sends None
        built = [built_model(node.value) for node in returns]
        shapes = {shape for shape, _ in built}
        spelled = {
            ast.get_source_segment(source.text, call.func) if call else None for _, call in built
        }
        if len(shapes) != 1 or None in shapes or len(spelled) != 1 or None in spelled:
            return None
        name = str(spelled.pop())
        if name.rpartition(".")[2] != model or not source.bound_before(
            name.split(".")[0], function.lineno
        ):
            return None
        annotation = name if shapes == {"one"} else f"list[{name}]"
        colon = source.header_colon(function)
        if colon is None:
            return None
        message = f"Add the return annotation `-> {annotation}`"
        return Fix(UNSAFE, message, (Edit(f" -> {annotation}", *colon, *colon),))

    def problem(self, project: Project, route: Route) -> str | None:
        """Why the route has no usable response model, or None if it has one."""
        call = route.call
        if route.websocket or route.function is None:
            return None
        if any(keyword(call, key) is not None for key in ("response_model", "response_class")):
            return None
        status = keyword(call, "status_code")
        if project.literal(status) == NO_CONTENT or (
            kind(status) == NAME and status[1].endswith("HTTP_204_NO_CONTENT")
        ):
            return None
        function = route.function
        annotation = function.returns_annotation
        if annotation is not None:
            if is_none(annotation):
                return None
            if any(
                v.kind == "instance" and is_response(project, v.name)
                for v in project.instances(annotation)
            ):
                return None
            if unfiltered(project, annotation):
                return f"its return annotation `{render(annotation)}` does not filter the response"
            return None
        values = [e for e in function.returns if not is_none(e) and not gives_nothing(project, e)]
        if not values and not function.is_generator:  # sends `null`: nothing to filter
            return None
        returned = [project.infer(expr) for expr in values]
        if returned and all(
            found and all(v.kind == "instance" and is_response(project, v.name) for v in found)
            for found in returned
        ):
            return None
        return "the function has no return annotation"
