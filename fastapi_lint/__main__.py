"""``python -m fastapi_lint``: the command line."""

from fastapi_lint.launcher import main

main()
