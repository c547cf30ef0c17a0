"""What runs on the event loop, why, and which calls there block it."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from fastapi_lint.config import Settings
from fastapi_lint.fastapi_model import FastAPIModel, Route, items
from fastapi_lint.knowledge import BLOCKING, SYNC_DB, Sink
from fastapi_lint.knowledge.blocking import BLOCKING_SINKS
from fastapi_lint.knowledge.databases import SYNC_DB_SINKS
from fastapi_lint.knowledge.types import (
    BUFFER_ARGUMENTS,
    FILE_OPENERS,
    MEMORY_BUFFERS,
    OFFLOADS,
    RETURN_TYPES,
    SESSION_FACTORIES,
    SPOOLED_BUFFERS,
)
from fastapi_lint.project import (
    HOOK,
    Callee,
    Project,
    Value,
    is_test_module,
    looks_like_class,
)
from fastapi_lint.summary import (
    ARGS,
    ATTRIBUTE,
    CALL,
    CONSTANT,
    FUNC,
    JOIN,
    KEYWORDS,
    LINE,
    MAPPING,
    NAME,
    P_DEFAULT,
    P_NAME,
    PARAMETER,
    RAN,
    SEQUENCE,
    UNKNOWN,
    Expr,
    Function,
    holds,
    keyword,
    kind,
    name,
)

USER_BLOCKING_INSTEAD = "an async alternative or run_in_threadpool"
USER_SYNC_DB_INSTEAD = "an async driver or AsyncSession"
USER_SYNC_DB_REASON = "talks to the database synchronously"


@dataclass(slots=True)
class OnLoop:
    """Why a function runs on the event loop: an entry point, or an on-loop caller."""

    reason: str
    caller: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class SinkHit:
    """A call that blocks: the name shown to users and what the knowledge base says."""

    name: str
    sink: Sink


class CallFacts(NamedTuple):
    """What a call does on the loop: the sink it hits, whether it hands work to a thread,
    and the project's sync functions it runs (none when it hits a sink or offloads)."""

    hit: SinkHit | None
    offload: bool
    helpers: tuple[Callee, ...]


# A sync function as a call site calls it: its name, or its name and what the call site says
# about the parameters its calls' conditions test, as (parameter, value) pairs
Node = str | tuple[str, frozenset[tuple[str, object]]]
SOME = type("Some", (), {"__repr__": lambda self: "SOME"})()  # a value known not to be None
UNKNOWN_VALUE = type("Unknown", (), {"__repr__": lambda self: "UNKNOWN"})()
NOT_NONE_BUILTINS = frozenset(
    f"builtins.{name}"
    for name in ("bool", "bytes", "dict", "float", "int", "len", "list", "repr", "set", "str")
)
STARTUP_KINDS = frozenset({"lifespan", "startup handler", "shutdown handler"})
ASYNC_EXIT_STACK = "contextlib.AsyncExitStack"
UNBOUNDED = 1 << 30  # a search as deep as the call graph goes
PLAIN = CallFacts(None, False, ())  # the facts of most calls, shared
OFFLOADED = CallFacts(None, True, ())


@dataclass(frozen=True, slots=True)
class Reach:
    """How a sync function reaches a sink: (function, its onward call) steps, then the sink."""

    steps: tuple[tuple[str, Expr], ...]
    hit: SinkHit


def fails(guard: tuple, values: dict[str, object]) -> bool:
    """Whether some condition of a guard is false of the parameters' known values. A
    condition on a parameter the function assigned before testing it counts only where each
    of those assignments' guards fails; one on a local, where each way to pass it fails."""
    for test, param, operand, unless in guard:
        if test == RAN:  # a local: false where no assignment that passes it ran
            if all(fails(way, values) for way in unless):
                return True
            continue
        if param not in values or not all(fails(earlier, values) for earlier in unless):
            continue
        value = values[param]
        if value is SOME:
            if test == "none":
                return True
        elif not holds(test, value, operand):
            return True
    return False


def tested_params(guard: tuple) -> Iterator[str]:
    """The parameters a guard's conditions test, those of the guards inside them too."""
    for test, param, _, inner in guard:
        if test != RAN:
            yield param
        for nested in inner:
            yield from tested_params(nested)


def qualname_of(node: Node) -> str:
    """The function a node of the call graph is."""
    return node if type(node) is str else node[0]


def argument(call: Expr, position: int, key: str) -> Expr:
    """The argument a call passes at ``position`` or as ``key``, if it passes one."""
    args = call[ARGS]
    return args[position] if len(args) > position else keyword(call, key)


def receiver(call: Expr) -> Expr:
    """The object a method is called on: ``db`` in ``db.execute(...)``."""
    func = call[FUNC]
    if type(func) is list and "." in func[1]:
        return name(func[1].rsplit(".", 1)[0])
    if kind(func) == ATTRIBUTE:
        return func[1]
    return None


def short(qualname: str) -> str:
    """``Class.method`` or ``module.function`` for messages."""
    parts = qualname.replace(".<locals>", "").split(".")
    return ".".join(parts[-2:])


class Knowledge:
    """The knowledge tables, merged with the user's additions from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.sinks: dict[str, Sink | None] = {**BLOCKING_SINKS, **SYNC_DB_SINKS}
        for sink_name, reason in settings.blocking_calls.items():
            self.sinks[sink_name] = Sink(BLOCKING, reason, USER_BLOCKING_INSTEAD)
        for sink_name, reason in settings.sync_db_calls.items():
            self.sinks[sink_name] = Sink(SYNC_DB, reason, USER_SYNC_DB_INSTEAD)
        for class_name in settings.sync_db_types:
            self.sinks[f"{class_name}.*"] = Sink(SYNC_DB, USER_SYNC_DB_REASON, USER_SYNC_DB_INSTEAD)
        for class_name in settings.async_db_types:
            prefix = f"{class_name}."
            for sink_name in [n for n in self.sinks if n.startswith(prefix) or n == class_name]:
                del self.sinks[sink_name]
        self.offloads = OFFLOADS | frozenset(settings.offload_wrappers)
        self.safe_functions = frozenset(settings.safe_functions)
        self.follow_memoised = settings.follow_memoised
        self.report_startup = settings.report_startup
        self.sync_db_classes = frozenset(
            owner
            for sink_name, sink in self.sinks.items()
            if sink is not None and sink.kind == SYNC_DB and "." in sink_name
            for owner in [sink_name.rsplit(".", 1)[0]]
            if looks_like_class(owner) or owner in RETURN_TYPES.values()
        )


class LoopAnalysis:
    """On-loop functions of the project and the sink lookup for their calls."""

    def __init__(self, project: Project, model: FastAPIModel, knowledge: Knowledge) -> None:
        self.project = project
        self.model = model
        self.knowledge = knowledge
        self.on_loop: dict[str, OnLoop] = {}
        self.startup: set[str] = set()  # async code that only runs at startup or shutdown
        self._seen_dependencies: set[str] = set()
        self._facts: dict[frozenset[Value], CallFacts] = {}
        self._sink_sites: dict[str, list[tuple[Expr, SinkHit]]] = {}
        self._edges: dict[Node, list[tuple[Expr, SinkHit | Node]]] = {}
        self._distance: dict[Node, int] = {}  # calls to the nearest sink
        self._beyond: dict[Node, int] = {}  # no sink within this many calls (UNBOUNDED: none)
        self._reach: dict[Node, Reach] = {}
        self._may_reach: dict[str, bool] = {}  # whatever the call sites pass
        self._relevant_params: dict[str, frozenset[str]] = {}
        self._find_entries()
        self._propagate(list(self.on_loop))
        self._enter_other_async_functions()

    # -- entry points ------------------------------------------------------------------

    def _enter(self, qualname: str, reason: str) -> None:
        """An entry point, unless a test module defines it (an async test, or the route of an
        app a test builds, blocks only the test's own loop)."""
        function = self.project.functions.get(qualname)
        if function is None or not function.is_async or qualname in self.on_loop:
            return
        if not is_test_module(self.project.module_of[qualname].path) and self.followed(qualname):
            self.on_loop[qualname] = OnLoop(reason)

    def followed(self, qualname: str) -> bool:
        """Whether calls into a function are followed: not into a memoised one (its body runs
        once per set of arguments), unless ``follow-memoised`` is on."""
        return self.knowledge.follow_memoised or not self.project.is_memoised(qualname)

    def _find_entries(self) -> None:
        for route in self.model.served_routes():
            if route.function is None:
                continue
            entry = "websocket" if route.websocket else "route"
            self._enter(route.function.qualname, f"async {entry} `{route.label}`")
            self._dependencies_of(route.function, route)
            self._wrappers(route)
        for apps, expr in self.model.dependencies:
            owners = ", ".join(sorted(".".join(a.split(".")[-2:]) for a in apps)) or "an app"
            for item in items(expr):
                if kind(item) == CALL and self.project.is_depends(item):
                    target = self.project.dependency_target(item, None)
                    self._dependency(target, f"every route of `{owners}`")
        for handler in self.model.handlers:
            if handler.kind in STARTUP_KINDS and not self.knowledge.report_startup:
                self._startup_only([handler.function])
                continue
            self._enter(
                handler.function, f"async {handler.kind} `{self.project.label(handler.function)}`"
            )
        for _, task in self.model.background_tasks:
            for value in self.project.infer(task):
                if value.kind == "function":
                    self._enter(
                        value.name, f"async background task `{self.project.label(value.name)}`"
                    )

    def _wrappers(self, route: Route) -> None:
        """Wrappers that decorators below the route decorator put around the endpoint.

        FastAPI registers what the decorators under ``@app.get`` return, so an ``async``
        wrapper built by a project decorator (``@cache_response``) is what runs on the loop.
        """
        function = route.function
        if function is None or not route.decorated:
            return
        decorators = function.decorators
        below = next((i for i, d in enumerate(decorators) if d is route.call), len(decorators))
        for decorator in decorators[below + 1 :]:
            written = decorator[FUNC] if kind(decorator) == CALL else decorator
            label = written[1].rsplit(".", 1)[-1] if type(written) is list else "decorator"
            for value in self.project.infer(decorator):
                if value.kind != "function":
                    continue
                for wrapper in self.project.returned(value.name):
                    if wrapper.kind == "function":
                        reason = f"async wrapper of `@{label}` around route `{route.label}`"
                        self._enter(wrapper.name, reason)

    def _dependencies_of(self, function: Function, route: Route | str) -> None:
        label = f"`{route.label}`" if isinstance(route, Route) else route
        for param in function.params:
            depends = self.project.dependency(param)
            if depends is not None:
                self._dependency(self.project.dependency_target(depends, param), label)

    def _dependency(self, target: Expr, label: str) -> None:
        """Enter a dependency and, through a worklist, the dependencies it declares itself."""
        pending = [target]
        while pending:
            for value in self.project.infer(pending.pop()):
                for qualname, _ in self.project.runs(value):
                    reason = f"async dependency `{self.project.label(qualname)}` of {label}"
                    self._enter(qualname, reason)
                    if qualname in self._seen_dependencies:
                        continue
                    self._seen_dependencies.add(qualname)
                    for param in self.project.functions[qualname].params:
                        depends = self.project.dependency(param)
                        if depends is not None:
                            pending.append(self.project.dependency_target(depends, param))

    def _startup_only(self, handlers: list[str]) -> None:
        """Code that runs before the server accepts requests or after it stopped: the lifespan,
        startup and shutdown handlers, and the async functions they await, at any depth. Their
        blocking calls stall no request. A coroutine they start without awaiting it
        (``asyncio.create_task(poll())``) runs while serving: it is not startup code."""
        queue = deque(handlers)
        while queue:
            caller = queue.popleft()
            if caller in self.startup or caller not in self.project.functions:
                continue
            self.startup.add(caller)
            for call, awaited in self.project.functions[caller].calls:
                if awaited:
                    queue.extend(callee for callee, _ in self.project.callees(call[FUNC]))
                    queue.extend(self.entered(call))

    def entered(self, call: Expr) -> list[str]:
        """The ``__aenter__`` and ``__aexit__`` of the project object that an awaited
        ``stack.enter_async_context(manager)`` enters (``contextlib.AsyncExitStack``)."""
        if not call[ARGS] or not any(
            value.kind == "method"
            and value.attr == "enter_async_context"
            and ASYNC_EXIT_STACK in self.project.mro(value.name)
            for value in self.project.infer(call[FUNC])
        ):
            return []
        return [
            method.name
            for manager in self.project.infer(call[ARGS][0])
            if manager.kind == "instance"
            for name_ in ("__aenter__", "__aexit__")
            for method in self.project.class_attribute(manager.name, name_, instance=True)
            if method.kind == "function"
        ]

    def _enter_other_async_functions(self) -> None:
        """Every other ``async def`` outside test modules: something awaits it on some loop
        (a framework hook, a task, a script's ``asyncio.run``). Each is an entry point of its
        own, as what it awaits is too. OpenAPI callbacks are only documentation."""
        skipped = self.model.documentation | self.startup
        for qualname, function in self.project.functions.items():
            if function.is_async and qualname not in self.on_loop and qualname not in skipped:
                module = self.project.module_of[qualname]
                if not is_test_module(module.path) and self.followed(qualname):
                    label = self.project.label(qualname)
                    self.on_loop[qualname] = OnLoop(f"async function `{label}`")

    def _propagate(self, entries: list[str]) -> None:
        """Async project functions called from on-loop code run on the loop too."""
        queue = deque(entries)
        while queue:
            caller = queue.popleft()
            for call, _ in self.project.functions[caller].calls:
                for callee, _ in self.project.callees(call[FUNC]):
                    function = self.project.functions[callee]
                    if function.is_async and callee not in self.on_loop and self.followed(callee):
                        self.on_loop[callee] = OnLoop("", caller, call[LINE])
                        queue.append(callee)

    def chain_to(self, qualname: str) -> list[tuple[str, int]]:
        """(function, line of its onward call) from the entry point down to ``qualname``."""
        chain: list[tuple[str, int]] = []
        current = qualname
        seen = {current}
        while self.on_loop[current].caller is not None:
            entry = self.on_loop[current]
            assert entry.caller is not None
            if entry.caller in seen:
                break
            seen.add(entry.caller)
            chain.insert(0, (entry.caller, entry.line))
            current = entry.caller
        return chain

    def located_chain(
        self, qualname: str, onward: list[tuple[str, int]]
    ) -> tuple[tuple[str, str, int], ...]:
        """The chain of calls from the entry point down to ``qualname`` and on through
        ``onward`` (function, line of its next call), as (name, file, line) per step."""
        project = self.project
        return tuple(
            (project.label(function), project.module_of[function].path, line)
            for function, line in [*self.chain_to(qualname), *onward]
        )

    def step(self, qualname: str, line: int) -> str:
        """``name (file:line)``: a function and where it makes the next call of a chain."""
        return f"{self.project.label(qualname)} ({self.project.module_of[qualname].path}:{line})"

    def entry_reason(self, qualname: str) -> str:
        current = qualname
        seen = {current}
        while self.on_loop[current].caller is not None:
            caller = self.on_loop[current].caller
            assert caller is not None
            if caller in seen:
                break
            seen.add(caller)
            current = caller
        return self.on_loop[current].reason

    def explain(self, qualname: str, onward: list[str] | None = None) -> str:
        """Why code in ``qualname`` runs on the loop: the entry point, then the call chain.

        ``onward`` continues the chain past ``qualname`` (steps of sync helpers, the sink).
        """
        steps = [self.step(function, line) for function, line in self.chain_to(qualname)]
        if onward:
            steps += onward
        elif steps:
            steps.append(self.project.label(qualname))
        reason = self.entry_reason(qualname)
        return f"{reason}: " + " -> ".join(steps) if steps else reason

    # -- sync helpers ------------------------------------------------------------------

    def is_safe(self, qualname: str) -> bool:
        """A function the user declared safe to call from the loop (``app.services.f``
        matches however deep the project's package root sits)."""
        return any(
            qualname == safe or qualname.endswith(f".{safe}")
            for safe in self.knowledge.safe_functions
        )

    def edges(self, node: Node) -> list[tuple[Expr, SinkHit | Node]]:
        """What a sync function's calls lead to, given what its call site says about its
        parameters (``node``): sinks first, then sync project functions. A call under a
        condition the call site rules out (``if not resolve: return`` with ``resolve=False``)
        leads nowhere."""
        known = self._edges.get(node)
        if known is not None:
            return known
        qualname, context = (node, None) if type(node) is str else node
        function = self.project.functions[qualname]
        guarded = function.guarded if context is not None else None
        found: list[tuple[Expr, SinkHit | Node]] = []
        onward: list[tuple[Expr, SinkHit | Node]] = []
        for index, (call, awaited) in enumerate(function.calls):
            if awaited or (guarded and index in guarded and self.ruled_out(node, guarded[index])):
                continue
            facts = self.facts(call)
            if facts.hit is not None:
                found.append((call, facts.hit))
            else:
                onward += [
                    (call, self.node(call, callee, node))
                    for callee in facts.helpers
                    if self._may_reach.get(callee.function) is not False
                ]
        found += onward
        self._edges[node] = found
        return found

    def node(self, call: Expr, callee: Callee, caller: Node) -> Node:
        """A sync callee as a call site calls it: its name, with the values the call gives
        the parameters its conditions test or that it hands on (constants, its defaults, the
        caller's own known parameters), when it knows any."""
        qualname, how = callee
        relevant = self._relevant(qualname)
        if not relevant or how == HOOK:  # a hook: the call's arguments are not its own
            return qualname
        function = self.project.functions[qualname]
        params = function.params
        skip = self.project.unpassed(function)
        given: dict[str, object] = {}
        for position, arg in enumerate(call[ARGS], skip):
            if arg is UNKNOWN or position >= function.positional:
                break
            given[params[position][P_NAME]] = arg
        spread = False
        for key, value in call[KEYWORDS]:
            if key is None:
                spread = True  # `**options` may set any of them
            else:
                given[key] = value
        context = dict(caller[1]) if type(caller) is tuple else {}
        caller_name = caller if type(caller) is str else caller[0]
        values = []
        for param in params[skip:]:
            name_ = param[P_NAME]
            if name_ not in relevant:
                continue
            if name_ in given:
                value = self.argument_value(given[name_], caller_name, context)
            elif not spread and param[P_DEFAULT] is not None:
                value = self.argument_value(param[P_DEFAULT], caller_name, {})
            else:
                continue
            if value is not UNKNOWN_VALUE:
                values.append((name_, value))
        return (qualname, frozenset(values)) if values else qualname

    def argument_value(self, expr: Expr, caller: str, context: dict) -> object:
        """What a call site knows of an argument: a constant, ``SOME`` (not None: a display, an
        f-string, a builtin's result), the caller's own parameter's known value, or nothing."""
        tag = kind(expr)
        if tag == CONSTANT:
            return expr[1]
        if tag in (SEQUENCE, MAPPING, JOIN):
            return SOME
        if tag == NAME:
            prefix, _, param = expr[1].rpartition(".<locals>.")
            if prefix == caller and param in context and not self.rebound(caller, param):
                return context[param]
        if tag == CALL and type(expr[FUNC]) is list and expr[FUNC][1] in NOT_NONE_BUILTINS:
            return SOME
        return UNKNOWN_VALUE

    def _relevant(self, qualname: str) -> frozenset[str]:
        """The parameters a function tests in the conditions of its calls, or hands on to
        other calls: what a call site's arguments can decide in it."""
        known = self._relevant_params.get(qualname)
        if known is not None:
            return known
        function = self.project.functions[qualname]
        found = {param for guard in function.guarded.values() for param in tested_params(guard)}
        locals_ = f"{qualname}.<locals>."
        names = {locals_ + param[P_NAME]: param[P_NAME] for param in function.params}
        for call, _ in function.calls:
            for arg in [*call[ARGS], *(value for _, value in call[KEYWORDS])]:
                if type(arg) is list and arg[1] in names:
                    found.add(names[arg[1]])
        known = self._relevant_params[qualname] = frozenset(found)
        return known

    def rebound(self, qualname: str, param: str) -> bool:
        """Whether a function assigns to its parameter: what it hands on may be another value."""
        return len(self.project.bindings.get(f"{qualname}.<locals>.{param}", ())) > 1

    def ruled_out(self, node: Node, guard: tuple) -> bool:
        """Whether the values a call site gives rule out a condition a call runs under (the
        summary keeps only tests of parameters not assigned before them)."""
        return fails(guard, dict(node[1]) if type(node) is tuple else {})

    def reach_through(self, call: Expr, callee: Callee, caller: str) -> Reach | None:
        """How an on-loop function's call to a sync callee reaches a sink, if it does. What
        a call site knows of the arguments only rules branches out: a callee that reaches no
        sink when nothing is known of them reaches none from any call site."""
        if not self.may_reach(callee.function):
            return None
        return self.reach(self.node(call, callee, caller))

    def may_reach(self, qualname: str) -> bool:
        """Whether a sync function reaches a sink when every branch may run: a search over
        functions, without the values of call sites (most helpers reach none, and proving it
        this way costs a fraction of the search by call site)."""
        known = self._may_reach.get(qualname)
        if known is not None:
            return known
        functions = self.project.functions
        seen = {qualname}
        pending = [qualname]
        while pending:
            for call, awaited in functions[pending.pop()].calls:
                if awaited:
                    continue
                facts = self.facts(call)
                if facts.hit is not None:
                    self._may_reach[qualname] = True
                    return True
                for callee in facts.helpers:
                    onward = callee.function
                    if onward in seen or self._may_reach.get(onward) is False:
                        continue
                    if self._may_reach.get(onward):
                        self._may_reach[qualname] = True
                        return True
                    seen.add(onward)
                    pending.append(onward)
        for function in seen:  # everything they lead to was searched: no sink at all
            self._may_reach[function] = False
        return False

    def reach(self, start: Node) -> Reach | None:
        """The shortest way a sync function reaches a sink, directly or through other sync
        functions (between equally short ways, the one that runs first), or None.

        It depends on the call graph alone, not on which functions were asked about before, so
        a file linted alone names the chain the whole project's run names. No recursion: any
        depth works, and cycles end.
        """
        if self.distance(start, UNBOUNDED) is None:
            return None
        return self._reach.get(start) or self._chain(start)

    def distance(self, start: Node, limit: int) -> int | None:
        """Calls from ``start`` to its nearest sink when there are at most ``limit``, else
        None. The call graph is searched breadth first and only as deep as needed: the
        helpers of a project reach each other by the thousand, and most sinks are near. What
        a search learns is kept: exact distances, and functions from which no sink is within
        a given depth (or at all)."""
        exact = self._distance.get(start)
        if exact is not None:
            return exact if exact <= limit else None
        if self._beyond.get(start, 0) >= limit:
            return None
        best = None
        seen = {start}
        frontier = [start]
        depth = 0
        while frontier and depth < limit and (best is None or best > depth + 1):
            depth += 1
            layer = []
            for function in frontier:
                for _, target in self.edges(function):
                    if type(target) is SinkHit:
                        best = depth
                        break
                    known = self._distance.get(target)
                    if known is not None:
                        if best is None or depth + known < best:
                            best = depth + known
                    elif target not in seen and self._beyond.get(target, 0) != UNBOUNDED:
                        seen.add(target)
                        layer.append(target)
            frontier = layer
        if best is not None and (best <= depth + 1 or not frontier):  # nothing nearer left
            self._distance[start] = best
            return best if best <= limit else None
        if not frontier:  # everything it leads to was searched: no sink at all
            for function in seen:
                self._beyond[function] = UNBOUNDED
        else:
            self._beyond[start] = max(self._beyond.get(start, 0), limit)
        return None

    def _chain(self, start: Node) -> Reach:
        """The reach of a function that has a distance: at each step, the first call to run
        (calls are summarised in the order they run) among those one step nearer to a sink.
        Every function on the way keeps its own reach."""
        path: list[tuple[Node, Expr]] = []
        function = start
        reach = self._reach.get(function)
        while reach is None:
            edges = self.edges(function)
            distance = self._distance[function]
            if distance == 1:
                call, hit = edges[0]  # sinks come first
                assert isinstance(hit, SinkHit)
                reach = Reach(((qualname_of(function), call),), hit)
                self._reach[function] = reach
                break
            call, nearer = next(
                (call, target)
                for call, target in edges
                if type(target) is not SinkHit and self.distance(target, distance - 1) is not None
            )
            path.append((function, call))
            function = nearer
            reach = self._reach.get(function)
        for function, call in reversed(path):
            reach = Reach(((qualname_of(function), call), *reach.steps), reach.hit)
            self._reach[function] = reach
        return reach

    # -- sinks -------------------------------------------------------------------------

    def sink(self, call: Expr) -> SinkHit | None:
        """The knowledge-base entry a call hits, if any."""
        return self.facts(call).hit

    def facts(self, call: Expr) -> CallFacts:
        """What a call does on the loop: every rule asks it of every call there. Memoised per
        set of things the call may call (shared between calls); a file opener given an
        in-memory buffer (``ZipFile(io.BytesIO())``) hits nothing."""
        values = self.project.infer(call[FUNC])
        known = self._facts.get(values)
        if known is None:
            known = self._facts[values] = self._facts_of(values)
        hit = known.hit
        if hit is not None and hit.name in BUFFER_ARGUMENTS and self.in_memory(call, hit.name):
            return PLAIN
        return known

    def _facts_of(self, values: frozenset[Value]) -> CallFacts:
        hit = self._sink(values)
        if hit is not None:
            return CallFacts(hit, False, ())
        if self._is_offload(values):
            return OFFLOADED
        functions = self.project.functions
        helpers = tuple(
            callee
            for callee in self.project.callees_of(values)
            if not functions[callee.function].is_async
            and not self.is_safe(callee.function)
            and self.followed(callee.function)
        )
        return CallFacts(None, False, helpers) if helpers else PLAIN

    def _sink(self, values: frozenset[Value]) -> SinkHit | None:
        sinks = self.knowledge.sinks
        for value in values:
            if value.kind == "external":
                found = sinks.get(value.name)
                if found is not None:
                    return SinkHit(value.name, found)
            elif value.kind == "method":
                for owner in self.project.mro(value.name):
                    exact = f"{owner}.{value.attr}"
                    if exact in sinks:
                        found = sinks[exact]
                        if found is not None:
                            return SinkHit(short(exact), found)
                        break
                    found = sinks.get(f"{owner}.*")
                    if found is not None:
                        return SinkHit(short(exact), found)
            elif value.kind == "class":
                for owner in self.project.mro(value.name)[1:]:
                    found = sinks.get(owner)
                    if found is not None:
                        return SinkHit(owner, found)
            elif value.kind == "instance":  # calling it runs its class's __call__
                for owner in self.project.mro(value.name):
                    found = sinks.get(f"{owner}.__call__")
                    if found is not None:
                        return SinkHit(short(f"{owner}.__call__"), found)
        return None

    def sink_sites(self, qualname: str) -> list[tuple[Expr, SinkHit]]:
        """The blocking calls a function makes itself, one per chain (``db.query(X).all()``);
        memoised, as FAL101 and FAL102 each take their share of them."""
        known = self._sink_sites.get(qualname)
        if known is not None:
            return known
        hits = {}
        for call, awaited in self.project.functions[qualname].calls:
            if not awaited:
                hit = self.sink(call)
                if hit is not None:
                    hits[id(call)] = (call, hit)
        known = [
            (call, hit)
            for call, hit in hits.values()
            if id(receiver(call)) not in hits and not self.opened_by(call, hit, hits)
        ]
        self._sink_sites[qualname] = known
        return known

    def opened_by(self, call: Expr, hit: SinkHit, hits: dict[int, tuple[Expr, SinkHit]]) -> bool:
        """Whether ``call`` reads or writes a file that this function opened itself:
        ``handle.read()`` after ``handle = open(path)`` is covered by the finding on ``open``.
        Clients are not: each call on them is one more request."""
        if hit.sink.kind != BLOCKING:
            return False
        target = receiver(call)
        if type(target) is not list:
            return False
        values = self.project.bindings.get(target[1])
        return bool(values) and all(
            id(value) in hits and hits[id(value)][1].name in FILE_OPENERS for value in values
        )

    def in_memory(self, call: Expr, opener: str) -> bool:
        """Whether a file opener is given an in-memory buffer (``ZipFile(io.BytesIO())``), or
        a spooled file to write (``ZipFile(SpooledTemporaryFile(), "w")``)."""
        if opener not in BUFFER_ARGUMENTS:
            return False
        position, key = BUFFER_ARGUMENTS[opener]
        values = self.project.infer(argument(call, position, key))
        if not values or any(v.kind != "instance" for v in values):
            return False
        if all(v.name in MEMORY_BUFFERS for v in values):
            return True
        mode = argument(call, position + 1, "mode")
        writes = kind(mode) == CONSTANT and str(mode[1]).startswith(("w", "x"))
        return writes and all(v.name in SPOOLED_BUFFERS for v in values)

    def _is_offload(self, values: frozenset[Value]) -> bool:
        for value in values:
            if value.kind == "external" and value.name in self.knowledge.offloads:
                return True
            if value.kind == "method" and any(
                f"{owner}.{value.attr}" in self.knowledge.offloads
                for owner in self.project.mro(value.name)
            ):
                return True
        return False

    def sync_db_object(self, expr: Expr) -> str | None:
        """The sync database class a variable holds, if it holds one."""
        if type(expr) is not list:
            return None
        for value in self.project.infer(expr):
            if value.kind == "instance":
                for owner in self.project.mro(value.name):
                    if owner in self.knowledge.sync_db_classes:
                        return owner
        return None

    def lazy_constructor(self, name: str) -> bool:
        """A sync database class or session factory: building one keeps what it is given
        (``Session(engine)``, ``sessionmaker(bind=engine)``) and connects only when a method
        that queries is called."""
        return name in SESSION_FACTORIES or any(
            owner in self.knowledge.sync_db_classes for owner in self.project.mro(name)
        )

    def origin(self, expr: Expr) -> str:
        """How a variable got its value, for messages (``parameter `db` via Depends(get_db)``)."""
        if type(expr) is list:
            for value in self.project.bindings.get(expr[1], ()):
                if kind(value) == PARAMETER:
                    depends = self.project.dependency(value)
                    target = depends and self.project.dependency_target(depends, value)
                    if type(target) is list:
                        provider = self.project.label(target[1])
                        return f"parameter `{value[P_NAME]}` via Depends({provider})"
                    return f"parameter `{value[P_NAME]}`"
        return ""

    def passed_sync_db(self, call: Expr) -> tuple[Expr, str] | None:
        """A sync DB object handed to a third-party sync callee that will use it on the loop
        (the call hits no sink and does not offload)."""
        if not call[ARGS] and not call[KEYWORDS]:
            return None
        callees = self.project.infer(call[FUNC])
        if not callees:
            return None
        for value in callees:
            if value.kind in ("class", "module", "function") or value.name.startswith("builtins."):
                return None  # project functions are followed by FAL103
            if value.kind == "external" and self.lazy_constructor(value.name):
                return None  # `Session(engine)`: queries come from its methods, reported there
        for arg in [*call[ARGS], *(value for _, value in call[KEYWORDS])]:
            owner = self.sync_db_object(arg)
            if owner is not None:
                return arg, owner
        return None
