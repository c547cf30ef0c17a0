"""FAL103: a blocking call reached from the event loop through the project's sync helpers."""

import dataclasses
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import Fix, Source, threadpool_fix
from fastapi_lint.rules import Rule
from fastapi_lint.summary import LINE


class BlockingCallInHelper(Rule):
    """## What it does
    Follows the calls that on-loop code makes into the project's own sync functions (across
    modules, through methods, instances held in globals or attributes, injected dependencies,
    class constructors, properties, `app.state`/`request.state`, and virtual dispatch: a call
    on a receiver typed as a base class, an ABC or a Protocol reaches the overrides of the
    project's subclasses, preferring those it instantiates or injects) and reports the call when
    the helper, at any depth, makes a blocking call or sync database access. A third-party
    method inherited by a project class (an OAuth server's `create_token_response`) reaches the
    class's hooks, its public methods the project never calls itself. The message names the
    on-loop entry point and the whole chain, each step with its `file:line`: the shortest chain
    to a blocking call (when several are as short, the one that runs first), the same whether
    the file is linted alone or with its project. One finding per call site in the on-loop
    function. Memoised helpers (`functools.cache`, `lru_cache`, `cachetools`, `async_lru`) are
    not followed: their body runs once per set of arguments, so reading settings there costs
    the first request only (`follow-memoised = true` follows them). Arguments decide branches
    at every level of the chain: a call under `if p is None`, `if not p`, `if p == "x"` or
    `if p.startswith("x")` (or after the opposite test returned early) is not followed when
    the call site passes a constant, a default or a value known not to be None that rules the
    branch out (`get_secret("API_KEY")` never reaches the `open` that only `"oidc/..."` names
    take), also through a local the helper sets from them (`path = None`, `if config:
    path = ...`, then `if path is not None and os.path.exists(path)`, where `exists` runs
    only if the first test passed).

    ## Why is this bad?
    Most real event-loop stalls are not written in the route: the route calls a service, the
    service calls a repository, the repository runs a sync query. Each function looks harmless in
    review, and a linter that checks one function at a time sees nothing. Every request then
    waits for the slowest query of every other request.

    ## Example
    ```python
    # services/users.py
    def add_user(db: Session, user: User) -> None:
        db.add(user)
        db.commit()

    # routers/users.py
    @router.post("/")
    async def create_user(user: User, db: SessionDep) -> User:
        add_user(db, user)
        return user
    ```

    ## Use instead
    ```python
    @router.post("/")
    def create_user(user: User, db: SessionDep) -> User:
        add_user(db, user)
        return user
    ```
    (a plain `def` route runs in the threadpool), or `await run_in_threadpool(add_user, db,
    user)`, or an async session all the way down.

    ## Known problems
    Calls through values whose type cannot be inferred statically are not followed. Dispatch is
    decided per call site, not per receiver: `Base().run()` whose `run` calls `self.step()`
    reaches every preferred subclass's `step`. Declare wrappers that move work to a thread in
    `offload-wrappers` and helpers that are fine in `safe-functions`.

    ## Fix
    With `--unsafe-fixes`, the call into the helper, when it is a statement or an assignment's
    value in the `async def`, moves the whole helper to a worker thread, as FAL101 describes:
    `add_user(db, user)` becomes `await run_in_threadpool(add_user, db, user)`. Unsafe: the
    helper then runs in another thread than the loop's code it shares objects with.
    """

    code = "FAL103"
    name = "blocking-call-in-helper"
    summary = "Blocking call reached through sync helpers"
    fix = "sometimes"
    message = (
        "Blocking call reached through `{helper}` in {where}: `{sink}` {reason}; use {instead}"
    )

    def check(self, context: Context) -> Iterator[Finding]:
        loop = context.loop
        project = context.project
        for qualname, summary in context.on_loop():
            for call, awaited in project.functions[qualname].calls:
                if awaited:
                    continue
                for callee in loop.facts(call).helpers:
                    helper = callee.function
                    reach = loop.reach_through(call, callee, qualname)
                    if reach is None:
                        continue
                    calls = [(qualname, call[LINE])]
                    calls += [(function, onward[LINE]) for function, onward in reach.steps]
                    steps = [loop.step(function, line) for function, line in calls]
                    steps.append(reach.hit.name)
                    message = self.message.format(
                        helper=project.label(helper),
                        where=loop.explain(qualname, steps),
                        sink=reach.hit.name,
                        reason=reach.hit.sink.reason,
                        instead=reach.hit.sink.instead,
                    )
                    finding = context.at_call(self.code, message, summary, call)
                    yield dataclasses.replace(finding, chain=loop.located_chain(qualname, calls))
                    break

    def fix_for(self, finding: Finding, source: Source) -> Fix | None:
        """The call, when it is a statement or an assignment's value in an ``async def``, run
        in a worker thread (unsafe)."""
        return threadpool_fix(finding, source)
