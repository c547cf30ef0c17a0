"""FAL101: a blocking call written directly in code that runs on the event loop."""

import ast
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import SAFE, Edit, Fix, Source, threadpool_fix
from fastapi_lint.knowledge import BLOCKING
from fastapi_lint.rules import Rule


class BlockingCall(Rule):
    """## What it does
    Finds blocking calls (`time.sleep`, `requests`, sync `httpx.Client`, `open()`, `subprocess`,
    `smtplib`, password hashing, the sync clients of boto3, Google Cloud, Azure, Kubernetes,
    Stripe, Slack, Docker, ...) made directly in code that runs on the event loop: `async def`
    routes and websockets, async dependencies at any depth, middleware, exception handlers,
    async background tasks, the async helpers they call, and every other `async def` outside
    test modules (something awaits it on a loop: a framework hook, a task, a script's
    `asyncio.run`). The message names the route or other FastAPI entry point that reaches the
    call when there is one. Test modules (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`)
    hold no entry points: an async test, or a route of an app a test builds, blocks only the
    test's own loop. Code that only runs before the server accepts requests or after it stopped
    (the lifespan, startup and shutdown handlers, what they await, and the context managers
    they enter through an `AsyncExitStack`) stalls no request and is not reported unless
    `report-startup = true`; the tasks it starts (`asyncio.create_task(poll())`) run while
    serving and are. Nor are memoised async functions
    (`async_lru.alru_cache`, `aiocache.cached`), whose body runs once per set of arguments,
    unless `follow-memoised = true`. Reading or writing a file the function opened itself is
    covered by the finding on the call that opened it.

    ## Why is this bad?
    FastAPI runs `async def` code on the single event-loop thread. A blocking call there stops
    every other request of the worker until it returns: one slow HTTP call or a `time.sleep`
    turns a concurrent server into a serial one. Plain `def` routes and dependencies are not
    affected: FastAPI runs them in a threadpool, so they are never reported.

    ## Example
    ```python
    @app.get("/weather")
    async def weather(city: str):
        return requests.get(f"https://api.example.com/{city}").json()
    ```

    ## Use instead
    ```python
    @app.get("/weather")
    async def weather(city: str):
        async with httpx.AsyncClient() as client:
            return (await client.get(f"https://api.example.com/{city}")).json()
    ```
    or declare the route with plain `def`, or offload the call with `run_in_threadpool`.

    ## Known problems
    Calls reached through sync helpers are reported by FAL103; calls whose target cannot be
    resolved statically are not reported. An `async def` that only a command-line script runs
    with `asyncio.run` is reported like any other, though nothing else waits on its loop.

    ## Fix
    `time.sleep(x)` written as a statement of an `async def` becomes `await asyncio.sleep(x)`,
    with `import asyncio` added after the module's first imports when it is missing (safe: the
    coroutine waits as long, and the loop serves other requests meanwhile). Any other blocking
    call written as a statement or as an assignment's value there becomes `await
    run_in_threadpool(func, *args, **kwargs)` (imported from `starlette.concurrency`; `await
    asyncio.to_thread(...)` in a module that uses neither FastAPI nor Starlette). That one is
    unsafe (`--unsafe-fixes`): the call then runs in another thread, where what it shares with
    the loop's code (a session, a client, a dict) is no longer protected by running on one
    thread. No fix is offered for a call inside a larger expression (`open(p).read()`, a
    `with` item), or when the names the fix needs hold something else in the module.
    """

    code = "FAL101"
    name = "blocking-call"
    summary = "Blocking call on the event loop"
    message = "Blocking call `{call}` in {where}: it {reason}; use {instead}"
    fix = "sometimes"

    def check(self, context: Context) -> Iterator[Finding]:
        loop = context.loop
        for qualname, summary in context.on_loop():
            for call, hit in loop.sink_sites(qualname):
                if hit.sink.kind != BLOCKING:
                    continue
                message = self.message.format(
                    call=hit.name,
                    where=loop.explain(qualname),
                    reason=hit.sink.reason,
                    instead=hit.sink.instead,
                )
                yield context.at_call(self.code, message, summary, call)

    def fix_for(self, finding: Finding, source: Source) -> Fix | None:
        """``time.sleep(x)`` as a statement of an ``async def``: ``await asyncio.sleep(x)``
        (safe); any other blocking call that is a statement or an assignment's value there:
        run in a worker thread (unsafe)."""
        return self.sleep_fix(finding, source) or threadpool_fix(finding, source)

    def sleep_fix(self, finding: Finding, source: Source) -> Fix | None:
        """``await asyncio.sleep(x)`` for ``time.sleep(x)``, importing ``asyncio`` if the
        module does not."""
        site = source.call_site(finding)
        if site is None or not isinstance(site.function, ast.AsyncFunctionDef):
            return None
        call = site.call
        if call.keywords or len(call.args) != 1 or not isinstance(site.holder, ast.Expr):
            return None
        names = source.module_names()
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.attr != "sleep" or names.get(func.value.id) != "time":
                return None
        elif not isinstance(func, ast.Name) or names.get(func.id) != "time.sleep":
            return None
        if names.get("asyncio", "asyncio") != "asyncio":  # the name holds something else
            return None
        edits = [Edit("await asyncio.sleep", *source.start(func), *source.end(func))]
        imported = source.import_edit("asyncio")
        if imported is not None:
            edits.append(imported)
        return Fix(SAFE, "Use `await asyncio.sleep(...)`", tuple(edits))
