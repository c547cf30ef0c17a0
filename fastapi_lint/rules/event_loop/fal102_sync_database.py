"""FAL102: sync database drivers and sessions used on the event loop."""

import ast
import dataclasses
import re
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import UNSAFE, Edit, Fix, Source, threadpool_fix
from fastapi_lint.knowledge import SYNC_DB
from fastapi_lint.loop import receiver
from fastapi_lint.rules import Rule
from fastapi_lint.summary import FUNC, Expr


def variable(expr: Expr) -> str:
    """The source name of a local variable or parameter."""
    return expr[1].rsplit(".", 1)[-1] if type(expr) is list else "value"


# the fix hints of an async def that only FastAPI calls: it may become a plain def
ROUTE, DEPENDENCY = "route", "dependency"


class SyncDatabase(Rule):
    """## What it does
    Finds sync database access in code that runs on the event loop: sync drivers (`sqlite3`,
    `psycopg2`, `pymysql`, `mysql.connector`, `pymongo`, sync `redis`, ...) and sync
    SQLAlchemy/SQLModel engines and sessions, including a `Session` that reaches an `async def`
    route as a parameter: annotated directly, through `Annotated[Session, Depends(...)]`, through
    an alias such as `SessionDep`, or through `Depends(get_db)` where `get_db` yields a sync
    session. A sync session handed to a third-party sync function (a paginator, say) is
    reported too; the project's own helpers are followed by FAL103.

    ## Why is this bad?
    A sync driver waits for the database on the event-loop thread: while one query runs, no other
    request of the worker makes progress. Under load, latency grows with every concurrent query.
    `AsyncSession`, async engines, `redis.asyncio`, asyncpg, motor and `databases` are never
    reported.

    ## Example
    ```python
    @app.get("/users/{user_id}")
    async def read_user(user_id: int, db: Session = Depends(get_db)):
        return db.get(User, user_id)
    ```

    ## Use instead
    ```python
    @app.get("/users/{user_id}")
    def read_user(user_id: int, db: Session = Depends(get_db)):
        return db.get(User, user_id)
    ```
    (a plain `def` route runs in the threadpool), or use `AsyncSession` with
    `await db.get(User, user_id)`.

    ## Fix
    With `--unsafe-fixes`, an `async def` route, or a module's `async def` dependency, with no
    `await`, `async for` or `async with` of its own, that no project code calls or hands on
    (but to `Depends`), becomes a plain `def`, which FastAPI runs in the threadpool (unsafe:
    so does everything else it does). Otherwise, a sync
    database call written as a statement or as an assignment's value in an `async def` moves
    to a worker thread, as FAL101 describes:
    `db.commit()` becomes `await run_in_threadpool(db.commit)`. Unsafe: the session is then
    used from another thread than the loop's code that shares it.
    """

    code = "FAL102"
    name = "sync-database"
    summary = "Sync database access on the event loop"
    fix = "sometimes"
    message = "Sync database call `{call}`{origin} in {where}: it {reason}; use {instead}"
    passed = (
        "Sync `{kind}` `{name}`{origin} passed to `{callee}` in {where}: the callee uses it "
        "on the event loop; make the route `def`, offload the call, or use an async session"
    )

    def check(self, context: Context) -> Iterator[Finding]:
        loop = context.loop
        for qualname, summary in context.on_loop():
            for call, hit in loop.sink_sites(qualname):
                if hit.sink.kind != SYNC_DB:
                    continue
                target = receiver(call)
                origin = loop.origin(target) if target is not None else ""
                message = self.message.format(
                    call=hit.name,
                    origin=f" on {origin}" if origin else "",
                    where=loop.explain(qualname),
                    reason=hit.sink.reason,
                    instead=hit.sink.instead,
                )
                finding = context.at_call(self.code, message, summary, call)
                plain = self.plain_def(context, qualname)
                if plain:
                    finding = dataclasses.replace(finding, fix_hint=plain)
                yield finding
            for call, awaited in context.project.functions[qualname].calls:
                if awaited:
                    continue
                facts = loop.facts(call)
                if facts.hit is not None or facts.offload:
                    continue
                handed = loop.passed_sync_db(call)
                if handed is None:
                    continue
                value, kind = handed
                origin = loop.origin(value)
                callee = call[FUNC][1] if type(call[FUNC]) is list else "a function"
                message = self.passed.format(
                    kind=kind.rsplit(".", 1)[-1],
                    name=variable(value),
                    origin=f" ({origin})" if origin else "",
                    callee=context.project.label(callee),
                    where=loop.explain(qualname),
                )
                yield context.at_call(self.code, message, summary, call)

    @staticmethod
    def plain_def(context: Context, qualname: str) -> str:
        """What a function that only FastAPI calls is (``route`` or ``dependency``, the hint
        of the def fix), or "": an HTTP route's endpoint, or a module's function that is a
        dependency, that no project code calls or hands on by name other than to
        ``Depends``."""
        entry = context.loop.on_loop[qualname]
        project = context.project
        function = project.functions[qualname]
        if entry.caller is not None or function.name in project.called_outside_depends():
            return ""
        if entry.reason.startswith("async route"):
            return ROUTE
        module = project.module_of[qualname].module
        if entry.reason.startswith("async dependency") and qualname == f"{module}.{function.name}":
            return DEPENDENCY
        return ""

    def fix_for(self, finding: Finding, source: Source) -> Fix | None:
        """An ``async def`` route or dependency that awaits nothing made a plain ``def``; else
        the call, when it is a statement or an assignment's value, run in a worker thread (both
        unsafe)."""
        return self.def_fix(finding, source) or threadpool_fix(finding, source)

    @staticmethod
    def def_fix(finding: Finding, source: Source) -> Fix | None:
        """``async def`` -> ``def`` for a route or dependency with no ``await``, ``async for``
        or ``async with`` of its own: FastAPI then runs it in the threadpool."""
        if finding.fix_hint not in (ROUTE, DEPENDENCY):
            return None
        site = source.call_site(finding)
        function = site.function if site is not None else None
        if not isinstance(function, ast.AsyncFunctionDef) or source.awaits(function):
            return None
        line, col = source.start(function)
        header = source.text_at((line, col), len(source.lines[line - 1]))
        keyword = re.match(r"async\s+", header)
        if keyword is None:
            return None
        edit = Edit("", line, col, line, col + keyword.end())
        message = f"Make the {finding.fix_hint} a plain `def`: FastAPI runs it in the threadpool"
        return Fix(UNSAFE, message, (edit,))
