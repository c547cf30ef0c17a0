"""Module names (``fastapi_lint.modules``): from files, the file system's packages and the
project's imports, never from the paths given on the command line."""

from __future__ import annotations

import os

import pytest

from fastapi_lint.modules import (
    Imports,
    Layout,
    claimed_folders,
    infer_roots,
    name_modules,
    scan_imports,
)


class FakeLayout(Layout):
    """Packages and project folders as a test declares them, without a file system."""

    def __init__(self, packages: set[str] = frozenset(), projects: set[str] = frozenset()):
        super().__init__()
        self.packages = set(packages)
        self.projects = set(projects)

    def is_package(self, folder: str) -> bool:
        return folder in self.packages

    def project(self, folder: str) -> str | None:
        while True:
            if folder in self.projects:
                return folder
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent


def names(
    files: dict[str, tuple[str, ...] | Imports], projects: set[str] = frozenset({"/p"})
) -> dict[str, str]:
    """Module names of files given as ``path: imports``; folders holding a listed
    ``__init__.py`` are packages."""
    paths = list(files)
    imports = [f if isinstance(f, Imports) else Imports(tuple(f)) for f in files.values()]
    packages = {os.path.dirname(path) for path in paths if path.endswith("/__init__.py")}
    named = name_modules(paths, imports, FakeLayout(packages, projects))
    return {path: module for path, (module, _) in zip(paths, named, strict=True)}


def test_a_namespace_folder_inside_a_package_belongs_to_it() -> None:
    assert names(
        {
            "/p/app/__init__.py": (),
            "/p/app/helpers/slow.py": ("time",),
            "/p/app/routers/users.py": ("fastapi", "app.helpers.slow"),
        }
    ) == {
        "/p/app/__init__.py": "app",
        "/p/app/helpers/slow.py": "app.helpers.slow",
        "/p/app/routers/users.py": "app.routers.users",
    }


def test_a_package_below_a_namespace_folder_keeps_the_whole_name() -> None:
    """``litellm/llms/anthropic/messages/adapters/__init__.py`` with no ``__init__.py`` in
    ``messages``: ``adapters`` is still ``litellm.llms.anthropic.messages.adapters``."""
    found = names(
        {
            "/p/lib/__init__.py": (),
            "/p/lib/llms/messages/adapters/__init__.py": (),
            "/p/lib/llms/messages/adapters/handler.py": (),
        }
    )
    assert found["/p/lib/llms/messages/adapters/handler.py"] == "lib.llms.messages.adapters.handler"


def test_a_namespace_layout_is_named_from_the_folder_its_imports_start_in() -> None:
    files = {
        "/p/backend/app/main.py": ("app.routers",),
        "/p/backend/app/routers/items.py": ("app.services.stock",),
        "/p/backend/app/services/stock.py": ("sqlite3",),
    }
    expected = ["app.main", "app.routers.items", "app.services.stock"]
    assert list(names(files).values()) == expected
    # tests mirroring the package (a second ``app`` folder) change nothing
    tests = {**files, "/p/backend/tests/app/routers/test_items.py": ("app.main",)}
    assert list(names(tests).values()) == [*expected, "tests.app.routers.test_items"]
    # nor does a project marker, or its absence
    assert list(names(files, projects=set()).values()) == expected


def test_a_flat_folder_run_as_a_script_names_its_modules_bare() -> None:
    assert names({"/p/flat/main.py": ("users", "fastapi"), "/p/flat/users.py": ("time",)}) == {
        "/p/flat/main.py": "main",
        "/p/flat/users.py": "users",
    }


def test_stdlib_and_known_library_names_never_make_a_root() -> None:
    """``import logging`` beside ``app/logging.py`` is the standard library's."""
    found = names(
        {
            "/p/app/__init__.py": (),
            "/p/app/logging.py": ("logging",),
            "/p/app/requests.py": (),
            "/p/app/main.py": ("logging", "requests"),
        }
    )
    assert list(found.values()) == ["app", "app.logging", "app.requests", "app.main"]


def test_a_module_importing_its_own_name_means_the_library() -> None:
    """``proj/celery.py`` doing ``from celery import Celery``: ``celery`` is the library, so
    ``tasks.py`` importing it does not make ``proj/`` a root."""
    found = names(
        {
            "/p/proj/__init__.py": (),
            "/p/proj/celery.py": ("celery",),
            "/p/proj/tasks.py": ("celery",),
        }
    )
    assert list(found.values()) == ["proj", "proj.celery", "proj.tasks"]
    # ``app/app.py`` importing ``app.core`` imports its own package, not a library
    found = names({"/p/b/app/app.py": ("app.core",), "/p/b/app/core.py": ()})
    assert list(found.values()) == ["app.app", "app.core"]


def test_relative_imports_make_their_folders_packages() -> None:
    found = names(
        {
            "/p/svc/app/routers/items.py": Imports((), (2,)),
            "/p/svc/app/routers/users.py": (),
            "/p/svc/app/services.py": (),
        }
    )
    assert list(found.values()) == ["app.routers.items", "app.routers.users", "app.services"]


def test_the_spelling_most_imports_use_wins() -> None:
    """An ``__init__.py`` left in ``backend/`` while every import says ``app.*``: named as
    imported. One old-style ``import config`` inside ``app`` is outvoted by ``app.config``."""
    found = names(
        {
            "/p/backend/__init__.py": (),
            "/p/backend/app/__init__.py": (),
            "/p/backend/app/main.py": ("app.core",),
            "/p/backend/app/core.py": (),
        }
    )
    assert list(found.values()) == ["backend", "app", "app.main", "app.core"]
    found = names(
        {
            "/p/app/__init__.py": (),
            "/p/app/config.py": (),
            "/p/app/main.py": ("config", "app.config"),
            "/p/app/users.py": ("app.config",),
            "/p/tests/test_users.py": ("app.users",),
        }
    )
    assert list(found.values()) == [
        "app",
        "app.config",
        "app.main",
        "app.users",
        "tests.test_users",
    ]


def test_modules_no_import_names_are_named_from_above_their_project() -> None:
    found = names(
        {"/p/scripts/seed.py": (), "/p/manage.py": ("os",), "/tmp/x/y.py": ()},
        projects={"/p"},
    )
    assert list(found.values()) == ["p.scripts.seed", "p.manage", "x.y"]


def test_a_top_level_module_never_takes_a_library_name() -> None:
    """``redis.py`` beside ``main.py`` would hide the library for every ``import redis``."""
    found = names({"/p/main.py": ("helpers",), "/p/helpers.py": (), "/p/redis.py": ("os",)})
    assert list(found.values()) == ["main", "helpers", "p.redis"]


def test_two_apps_side_by_side_leave_their_shared_names_unresolved() -> None:
    found = names(
        {
            "/p/a/main.py": ("users", "db"),
            "/p/a/users.py": (),
            "/p/a/db.py": (),
            "/p/b/main.py": ("users",),
            "/p/b/users.py": (),
        }
    )
    assert list(found.values()) == ["a.main", "a.users", "db", "b.main", "b.users"]


def test_names_are_unique_in_the_order_of_paths() -> None:
    found = names({"/q/x/main.py": (), "/p/x/main.py": ()}, projects=set())
    assert found == {"/q/x/main.py": "x.main@2", "/p/x/main.py": "x.main"}


def test_roots_from_imports_below_and_beside() -> None:
    """A root must hold the importing file, unless the import can mean one place only."""
    files = ["/p/a/x.py", "/p/b/x.py", "/p/c/main.py", "/p/src/pkg/mod.py", "/p/tests/t.py"]
    imports = [Imports(), Imports(), Imports(("x",)), Imports(), Imports(("pkg.mod",))]
    roots = infer_roots(files, imports).roots
    assert roots == {"/p/src": ["/p/src/pkg/mod"]}


@pytest.mark.parametrize(
    ("source", "absolute", "relative"),
    [
        ("import os\nimport a.b as c, d\n", ("os", "a.b", "d"), ()),
        ("from a.b import (c,\n  d)\nfrom . import x\nfrom ..p.q import r\n", ("a.b",), (1, 2)),
        ("def f():\n    if x:\n\timport lazy.mod  # comment\n", ("lazy.mod",), ()),
        ("x = 1; import semi\n", (), ()),  # not at the start of a line: missed
        ("s = 'import nothing'\nimportlib.import_module('x')\n", (), ()),
        ("from   __future__   import annotations\r\nimport a\r\n", ("__future__", "a"), ()),
        ("from .models import User\nfrom ... import up\n", (), (1, 3)),
    ],
)
def test_scan_finds_import_statements(
    source: str, absolute: tuple[str, ...], relative: tuple[int, ...]
) -> None:
    assert scan_imports(source.encode()) == Imports(absolute, relative)


def test_folders_held_back_are_claimed_by_the_imports_that_name_them() -> None:
    imports = {
        "/p/main.py": Imports(("build.assets", "fastapi")),
        "/p/app/x.py": Imports(("tools.dist.pack",)),
        "/q/other.py": Imports(("venv.thing",)),
    }
    folders = ["/p/build", "/p/tools/dist", "/p/venv", "/p/app/build"]
    assert claimed_folders(folders, imports) == ["/p/build", "/p/tools/dist"]
