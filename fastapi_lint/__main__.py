"""``python -m fastapi_lint``: the command line."""

from fastapi_lint.cli import main

main(prog_name="fastapi-lint")
