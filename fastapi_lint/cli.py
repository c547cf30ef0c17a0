"""The ``fastapi-lint`` command line, shaped like ruff's."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from fastapi_lint import __version__
from fastapi_lint.cache import DIRECTORY, Cache
from fastapi_lint.config import ConfigError, Settings, find_pyproject, load_settings
from fastapi_lint.docs import rule_markdown, rule_url
from fastapi_lint.engine import LintResult, internal_error, lint
from fastapi_lint.replay import record
from fastapi_lint.reporters import REPORTERS, statistics_json, statistics_text
from fastapi_lint.rules import all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DIAGNOSTICS: list[str] = []  # what this invocation printed to stderr


def error(message: str) -> None:
    DIAGNOSTICS.append(message)
    click.echo(f"fastapi-lint: error: {message}", err=True)


def warning(message: str) -> None:
    DIAGNOSTICS.append(message)
    click.echo(f"fastapi-lint: warning: {message}", err=True)


def fail(message: str) -> NoReturn:
    """Report a usage, config or IO problem and exit with 2."""
    error(message)
    raise SystemExit(EXIT_ERROR)


def selectors(values: tuple[str, ...]) -> list[str]:
    """The codes of a repeatable, comma-separated option."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def unknown_selectors(codes: list[str]) -> list[str]:
    """Codes and prefixes that match no rule (``ALL`` matches every rule)."""
    known = all_rules()
    return [c for c in codes if c != "ALL" and not (c and any(k.startswith(c) for k in known))]


def warn_unknown_in_config(settings: Settings, pyproject: Path) -> None:
    keys = {
        "select": settings.select,
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "fixable": settings.fixable,
        "unfixable": settings.unfixable,
        "extend-safe-fixes": settings.extend_safe_fixes,
        "extend-unsafe-fixes": settings.extend_unsafe_fixes,
        **{f"per-file-ignores.{k}": v for k, v in settings.per_file_ignores.items()},
    }
    for key, codes in keys.items():
        for code in unknown_selectors(codes):
            warning(f"{pyproject}: [tool.fastapi-lint] {key}: unknown rule code or prefix '{code}'")


def apply_options(
    settings: Settings, select: list[str] | None, extend_select: list[str], ignore: list[str]
) -> Settings:
    """Settings with the command line's selection over the config's, as ruff does it.

    ``--select`` replaces the config's ``select`` and ``extend-select``; ``--extend-select``
    and ``--ignore`` add to the config's.
    """
    update = {
        "extend_select": [*settings.extend_select, *extend_select],
        "ignore": [*settings.ignore, *ignore],
    }
    if select is not None:
        update |= {"select": select, "extend_select": extend_select}
    return dataclasses.replace(settings, **update)


def locate_config(config: Path | None, paths: list[Path]) -> Path | None:
    """``--config``, else the nearest configured pyproject.toml above the first path or cwd."""
    if config is not None:
        return config
    return nearest_config(paths[0]) or find_pyproject(Path.cwd())


def nearest_config(path: Path) -> Path | None:
    """``find_pyproject`` from ``path``, else from the first folder above it that it can search.

    A symlink loop cannot be resolved, and a folder without search permission cannot be looked
    into: the search then starts higher up instead of failing.
    """
    for start in [path, *Path(os.path.abspath(path)).parents]:
        try:
            return find_pyproject(start)
        except (OSError, RuntimeError):
            continue
    return None


def one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn Ctrl-C and any bug into one line and exit 2, never a traceback."""

    @functools.wraps(command)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            fail("interrupted")
        except Exception as problem:  # a bug: one line the user can report
            fail(internal_error(problem))

    return guarded


def codes_option(name: str, help_text: str) -> Callable[[Any], Any]:
    """A repeatable option taking comma-separated rule codes."""
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fastapi-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Static analysis for FastAPI code bases."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@codes_option(
    "--select",
    "Comma-separated rule codes or prefixes to enable (ALL for every rule); replaces the "
    "config's select and extend-select. Repeatable.",
)
@codes_option(
    "--extend-select",
    "Comma-separated rule codes or prefixes to enable in addition to the selection. Repeatable.",
)
@codes_option(
    "--ignore",
    "Comma-separated rule codes or prefixes to disable, in addition to the config's. Repeatable.",
)
@click.option(
    "--output-format",
    type=click.Choice(list(REPORTERS)),
    default="concise",
    show_default=True,
    help="How findings are printed.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print the number of findings per rule instead of the findings.",
)
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report the rest.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff instead of writing them (exit 1 if there is one).",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply (or show, with --diff) the fixes that may change behaviour.",
)
@click.option("--show-fixes", is_flag=True, help="With --fix, list the fixes applied.")
@click.option("--fix-only", is_flag=True, help="Apply the safe fixes; report nothing else.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Silence every finding where it is reported: append `# noqa: CODE` to its line (or "
    "add the code to the `# noqa` there), say how many were added, print no findings.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help=f"Neither read nor write the cache ({DIRECTORY}/ at the project root).",
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, readable=False),
    help="The pyproject.toml to read [tool.fastapi-lint] from (default: the nearest one "
    "holding that table, above the first path, else above the current directory).",
)
@one_line_errors
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    statistics: bool,
    exit_zero: bool,
    fix: bool,
    show_diff: bool,
    unsafe_fixes: bool,
    show_fixes: bool,
    fix_only: bool,
    add_noqa: bool,
    no_cache: bool,
    config: Path | None,
) -> NoReturn:
    """Lint PATHS (files or folders; default: the current directory) as one project.

    Exits with 0 when there are no findings, 1 when there are, 2 on a usage, config or IO
    error.
    """
    DIAGNOSTICS.clear()
    try:
        os.getcwd()
    except OSError as problem:  # removed from under the shell: paths cannot be resolved
        fail(f"cannot use the current directory: {problem.strerror or problem}")
    targets = list(paths) or [Path(".")]
    pyproject = locate_config(config, targets)
    try:
        settings = load_settings(pyproject)
    except ConfigError as problem:
        fail(str(problem))
    if pyproject is not None:
        warn_unknown_in_config(settings, pyproject)
    cli_codes = {"--select": select, "--extend-select": extend_select, "--ignore": ignore}
    for option, values in cli_codes.items():
        for code in unknown_selectors(selectors(values)):
            warning(f"{option}: unknown rule code or prefix '{code}'")
    settings = apply_options(
        settings, selectors(select) if select else None, selectors(extend_select), selectors(ignore)
    )
    root = settings.root or Path.cwd()
    cache = None if no_cache else Cache(root)
    fix_problems: list[str] = []  # files --fix could not fix or write
    if show_diff or fix or fix_only:
        result, fix_problems = fixing(
            targets, settings, cache, show_diff, unsafe_fixes, show_fixes, fix_only
        )
    else:
        result = lint(targets, settings, cache, keep_analysis=True)  # freed by exiting
    for message in result.errors:
        error(message)
    for message in result.warnings:
        warning(message)
    if result.files == 0:
        if result.errors:
            raise SystemExit(EXIT_ERROR)
        warning("no Python files found under the given paths")
    if add_noqa:
        silence(result)
    if statistics:
        count = statistics_json if output_format == "json" else statistics_text
        output = count(result.findings)
    else:
        output = REPORTERS[output_format](result.findings, settings)
    click.echo(output, nl=False)
    code = EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN
    if fix:  # edits files: never replayed
        raise SystemExit(EXIT_ERROR if fix_problems else code)
    if cache is not None and not DIAGNOSTICS:  # only a clean run is worth replaying
        record(cache, targets, pyproject, result.watched, result.stamps, output, code)
    raise SystemExit(code)


def fixing(
    targets: list[Path],
    settings: Settings,
    cache: Cache | None,
    show_diff: bool,
    unsafe: bool,
    show_fixes: bool,
    fix_only: bool,
) -> tuple[LintResult, list[str]]:
    """``--fix`` / ``--fix-only`` write the fixes and hand back the findings left and the
    files that could not be fixed or written; ``--diff`` prints the fixes instead and exits."""
    from fastapi_lint.apply_fixes import diff, fix_in_passes, fixes_summary, write

    fixed = fix_in_passes(targets, settings, cache, unsafe)
    if show_diff:
        for problem in fixed.problems:
            error(problem)
        patch = diff(fixed)
        click.echo(patch, nl=False)
        click.echo(f"Would fix {plural(len(fixed.applied), 'finding')}.", err=True)
        raise SystemExit(EXIT_ERROR if fixed.problems else EXIT_FINDINGS if patch else EXIT_CLEAN)
    write(fixed)
    for problem in fixed.problems:
        error(problem)
    if show_fixes:
        click.echo(fixes_summary(fixed.applied), nl=False, err=True)
    left = len(fixed.result.findings)
    click.echo(f"Fixed {plural(len(fixed.applied), 'finding')} ({left} left).", err=True)
    if fix_only:
        raise SystemExit(EXIT_ERROR if fixed.problems else EXIT_CLEAN)
    return fixed.result, fixed.problems


def silence(result: LintResult) -> NoReturn:
    """``--add-noqa``: write the directives, say how many, exit 2 if a file was left alone."""
    from fastapi_lint.add_noqa import add_noqa  # only this option edits files

    stamps = dict(zip(result.watched, result.stamps, strict=False))
    added = add_noqa(result.findings, stamps)
    for problem in added.problems:
        error(problem)
    if added.syntax_errors:
        warning(f"{plural(added.syntax_errors, 'syntax error')} (FAL001) left as they are")
    directives = plural(added.directives, "noqa directive")
    click.echo(f"Added {directives} to {plural(added.files, 'file')}.", err=True)
    raise SystemExit(EXIT_ERROR if added.problems else EXIT_CLEAN)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@main.command()
@click.option("--config", type=click.Path(path_type=Path, readable=False), help="As for check.")
@one_line_errors
def clean(config: Path | None) -> None:
    """Remove the cache of the project in the current directory."""
    pyproject = locate_config(config, [Path(".")])
    root = pyproject.parent.absolute() if pyproject is not None else Path.cwd()
    cache = Cache(root)
    if cache.clean():
        click.echo(f"Removed {cache.folder}")


@main.command()
@click.argument("code")
def rule(code: str) -> None:
    """Show the documentation of rule CODE."""
    found = all_rules().get(code.upper())
    if found is None:
        fail(f"unknown rule code '{code}' (`fastapi-lint rules` lists them)")
    click.echo(f"{rule_markdown(found)}\n\nOnline: {rule_url(found.code)}")


@main.command()
def server() -> None:
    """Run the language server on stdin and stdout (for editors)."""
    try:
        from fastapi_lint.server import serve  # pygls: only for the server
    except ImportError as error:
        fail(f'the language server needs pygls ({error}): pip install "fastapi-lint[server]"')
    serve()


@main.command("rules")
@click.option(
    "--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def list_rules(output_format: str) -> None:
    """List every rule: code, name and summary."""
    rules = all_rules().values()
    if output_format == "json":
        listing = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "fix": r.fix,
                "default": r.default_enabled,
            }
            for r in rules
        ]
        click.echo(json.dumps(listing, indent=2))
        return
    code_width = max(len(r.code) for r in rules)
    name_width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.code:<{code_width}}  {r.name:<{name_width}}  {r.summary}")
