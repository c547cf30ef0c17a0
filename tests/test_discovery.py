"""Which files a run looks at: default excludes, user excludes, .gitignore."""

from pathlib import Path

import pytest

from fastapi_lint.config import DEFAULT_EXCLUDE, Settings
from fastapi_lint.discovery import GitIgnore, discover


def tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def found(root: Path, respect_gitignore: bool = True, exclude: tuple = DEFAULT_EXCLUDE) -> list:
    result = discover([root], list(exclude), respect_gitignore, root=root)
    return sorted(p.relative_to(root).as_posix() for p in result.files)


def test_default_excludes_skip_vcs_virtualenvs_and_build_folders(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "app/main.py",
        ".git/hooks/x.py",
        ".venv/lib/site.py",
        "venv/lib/site.py",
        "node_modules/pkg/x.py",
        "build/lib/x.py",
        "dist/x.py",
        "app/__pycache__/x.py",
        "notes.txt",
    )
    assert found(tmp_path) == ["app/__pycache__/x.py", "app/main.py"]


def test_gitignore_rules_apply_below_their_folder(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "app/main.py",
        "app/generated/models.py",
        "app/secret_local.py",
        "scripts/tool.py",
        "scripts/keep_local.py",
        "docs/conf.py",
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n*_local.py\n!keep_local.py\n/docs\n")
    assert found(tmp_path) == ["app/main.py", "scripts/keep_local.py", "scripts/tool.py"]
    assert len(found(tmp_path, respect_gitignore=False)) == 6


def test_gitignore_of_a_parent_folder_applies_to_a_linted_subfolder(tmp_path: Path) -> None:
    tree(tmp_path, "service/app/main.py", "service/app/generated_pb2.py")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*_pb2.py\n")
    assert found(tmp_path / "service") == ["app/main.py"]


def test_user_excludes_match_names_and_paths(tmp_path: Path) -> None:
    tree(tmp_path, "app/main.py", "app/migrations/0001.py", "tests/test_app.py")
    assert found(tmp_path, exclude=("migrations", "tests/*")) == ["app/main.py"]


def test_gitignore_patterns() -> None:
    ignore = GitIgnore()
    for line in ["*.pyc", "/build", "logs/", "!important.log", "a/**/b"]:
        ignore.rules += GitIgnore.parse([line]).rules
    assert ignore.ignored("x/y.pyc", is_dir=False) is True
    assert ignore.ignored("build", is_dir=True) is True
    assert ignore.ignored("src/build", is_dir=True) is None
    assert ignore.ignored("logs", is_dir=True) is True
    assert ignore.ignored("logs", is_dir=False) is None
    assert ignore.ignored("important.log", is_dir=False) is False
    assert ignore.ignored("a/x/y/b", is_dir=False) is True


def test_a_shallow_walk_takes_the_files_directly_in_the_folder(tmp_path: Path) -> None:
    """What a file given alone reads from the folders above its package: their own modules,
    with the same excludes and ignores, never their subfolders."""
    tree(tmp_path, "main.py", "database.py", "skipped.py", "app/routers/users.py", "notes.txt")
    (tmp_path / ".gitignore").write_text("skipped.py\n", encoding="utf-8")
    result = discover([tmp_path], list(DEFAULT_EXCLUDE), True, root=tmp_path, shallow=True)
    assert sorted(p.name for p in result.files) == ["database.py", "main.py"]
    assert str(tmp_path) in result.watched  # a module added beside it changes the folder's stamp
    assert found(tmp_path) == ["app/routers/users.py", "database.py", "main.py"]


def test_default_excludes_give_way_to_source_code(tmp_path: Path) -> None:
    """A folder named like output (``build``, ``dist``, ``venv``) is walked when it is a
    package or inside one; a virtualenv (``pyvenv.cfg``) or setuptools' ``build/lib`` copy
    never is; a top-level one is held back for the imports to claim."""
    tree(
        tmp_path,
        "app/__init__.py",
        "app/features/__init__.py",
        "app/features/build/__init__.py",
        "app/features/build/routes.py",
        "app/dist/pack.py",  # a namespace folder inside the package
        "app/venv/__init__.py",  # a package named venv
        "app/env/venv/bin/x.py",  # a virtualenv inside the package
        "app/env/venv/pyvenv.cfg",
        "app/out/build/lib/app/__init__.py",  # setuptools output inside the package
        "build/lib/app/__init__.py",
        "build/lib.linux-x86_64-cpython-311/app/__init__.py",
        "tools/build/steps.py",
        "venv/lib/python3.12/site-packages/x.py",
    )
    settings = Settings()
    pruning, yielding = settings.excludes()
    result = discover([tmp_path], pruning, True, tmp_path, yielding=yielding)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in result.files) == [
        "app/__init__.py",
        "app/dist/pack.py",
        "app/features/__init__.py",
        "app/features/build/__init__.py",
        "app/features/build/routes.py",
        "app/venv/__init__.py",
    ]
    assert [Path(p).relative_to(tmp_path).as_posix() for p in result.deferred] == ["tools/build"]


@pytest.mark.parametrize(
    "table", [{"extend_exclude": ["build"]}, {"exclude": ["build", "migrations"]}]
)
def test_a_users_own_exclude_always_prunes(tmp_path: Path, table: dict) -> None:
    """Only the default excludes yield; ``exclude`` as the user sets it, and
    ``extend-exclude``, prune as written."""
    tree(tmp_path, "app/__init__.py", "app/build/__init__.py", "app/build/x.py")
    pruning, yielding = Settings(**table).excludes()
    result = discover([tmp_path], pruning, True, tmp_path, yielding=yielding)
    assert sorted(p.name for p in result.files) == ["__init__.py"]


def test_gitignore_prunes_a_source_folder_named_like_output(tmp_path: Path) -> None:
    tree(tmp_path, "app/__init__.py", "app/build/__init__.py", "app/build/x.py")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n")
    pruning, yielding = Settings().excludes()
    result = discover([tmp_path], pruning, True, tmp_path, yielding=yielding)
    assert [p.name for p in result.files] == ["__init__.py"]
