"""FAL402: CORS that allows any origin together with credentials."""

import re
from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.fastapi_model import CORS_CLASSES
from fastapi_lint.findings import Finding
from fastapi_lint.rules import Rule
from fastapi_lint.summary import keyword

PROBE_ORIGINS = ("https://evil.example", "http://attacker.test:8080")


def matches_everything(pattern: object) -> bool:
    """Whether an ``allow_origin_regex`` accepts arbitrary origins."""
    if not isinstance(pattern, str):
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return all(compiled.fullmatch(origin) for origin in PROBE_ORIGINS)


class CorsWildcardCredentials(Rule):
    """## What it does
    Finds `CORSMiddleware` configured with `allow_credentials=True` and an origin wildcard:
    `"*"` in `allow_origins` (written inline or through a constant) or an `allow_origin_regex`
    that matches any origin. A `CORSMiddleware` that a project middleware builds around the app
    it wraps is read the same way.

    ## Why is this bad?
    Browsers forbid `Access-Control-Allow-Origin: *` on credentialed requests, so Starlette
    answers them by echoing back whatever `Origin` the request carried. Any web site a logged-in
    user visits can then call the API with the user's cookies and read the answers.

    ## Example
    ```python
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_credentials=True
    )
    ```

    ## Use instead
    ```python
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://app.example.com"],
        allow_credentials=True,
    )
    ```

    ## Fix
    None: dropping `allow_credentials` breaks cookie sessions and listing origins needs the
    real front ends, so either change is the team's call.
    """

    code = "FAL402"
    name = "cors-wildcard-credentials"
    summary = "CORS wildcard origin with credentials"
    message = (
        "CORSMiddleware allows {origins} with `allow_credentials=True`: Starlette then reflects "
        "any Origin, so every site can make credentialed requests; list the allowed origins"
    )

    def check(self, context: Context) -> Iterator[Finding]:
        project = context.project
        for use in context.fastapi.middleware:
            if not any(project.is_subclass(v.name, CORS_CLASSES) for v in use.classes):
                continue
            config = use.config
            if project.literal(keyword(config, "allow_credentials")) is not True:
                continue
            origins = project.literal(keyword(config, "allow_origins"))
            if isinstance(origins, (list, str)) and "*" in origins:
                shown = 'every origin (`"*"`)'
            elif matches_everything(project.literal(keyword(config, "allow_origin_regex"))):
                shown = "every origin (`allow_origin_regex` matches anything)"
            else:
                continue
            message = self.message.format(origins=shown)
            yield context.at_call(self.code, message, use.module, config)
