"""What a file is called: its module name, as the project's own imports spell it.

A summary's qualified names start with its module name, and imports are resolved by module
name, so a file must be named the way the modules that import it write it. Python finds
top-level modules in the folders of ``sys.path`` (the *source roots*); a module's name is its
path below the root it is found in. ``name_modules`` infers the roots of a project from three
kinds of facts, and from nothing else (never from the paths given on the command line, so
``check .``, ``check backend`` and ``check backend/app`` name a file alike):

- the files (their absolute paths);
- which folders hold an ``__init__.py`` and which folder is the project's (``Layout``);
- the imports each file makes (``scan_imports``, a regular expression over its bytes).

The rule:

1. A folder ``R`` is a *source root* when an absolute import ``a.b.c`` in some file ``F``
   names a module or package that exists as ``R/a/b/c.py`` or ``R/a/b/c/``; each such import
   is a vote for ``R``. ``R`` must contain ``F`` (Python puts the script's folder or the
   working directory on ``sys.path``, both above the importing file), unless ``R/a/b/c`` is
   the only place in the project the import could mean. Imports of the standard library and
   of the third-party packages the knowledge tables know never vote, nor do names that a
   module of the same name imports (``app/celery.py`` doing ``from celery import Celery``
   shows that ``celery`` is the library).
2. Folders are *packages* when they hold an ``__init__.py`` or when a relative import climbs
   through them (``from ..core import x`` makes the importing file's folder and its parent
   packages, as Python requires). The *package base* of a file is the folder above the
   highest package among its folders, up to the project's folder: namespace folders inside a
   package are part of it (``app/helpers/slow.py`` is ``app.helpers.slow`` when ``app`` has an
   ``__init__.py``, whether ``helpers`` has one or not), and so are regular packages below a
   namespace folder (``litellm/llms/x/messages/adapters/__init__.py``).
3. A file is named from its *base*: among the source roots above it and its package base,
   the one most imports agree with. Votes are counted for modules below the deepest of these
   candidates; a relative import there counts for every candidate it still resolves under.
   A tie goes to the deepest.
4. A top-level name is only given where imports can mean it. A file with no candidate base
   (nothing imports it by an absolute name, and it is in no package) is named from the
   folder above its project's (the nearest holding ``pyproject.toml`` or ``.git``), or above
   its own folder outside projects: ``proj.scripts.seed``, never a bare ``seed`` that an
   import of another module could be taken for. So is a top-level module that would take
   the name of the standard library or of a known library (``redis.py`` beside the app is
   ``proj.redis``; a regular package keeps its name), and so are the modules of a top-level
   name that two bases would define (two apps side by side, each importing its own
   ``app.main``): an import of such a name stays unresolved rather than linking the wrong
   module.
5. Names are made unique in the order of the files' absolute paths (``main``, ``main@2``).

A file given alone is linted with its surroundings (``surroundings``): what a project run
would read around it, bounded so that a pre-commit run stays quick.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import NamedTuple

from fastapi_lint.knowledge.blocking import BLOCKING_SINKS
from fastapi_lint.knowledge.databases import SYNC_DB_SINKS
from fastapi_lint.knowledge.types import CANONICAL_NAMES, RETURN_TYPES
from fastapi_lint.replay import EXISTS, ancestors

PROJECT_MARKERS = ("pyproject.toml", ".git")

# first segments that name the standard library or a third-party package the tables know:
# ``import logging`` never makes a folder holding a ``logging.py`` a source root
EXTERNAL = frozenset(
    [
        *sys.stdlib_module_names,
        *(
            name.split(".", 1)[0]
            for name in [*BLOCKING_SINKS, *SYNC_DB_SINKS, *RETURN_TYPES, *CANONICAL_NAMES]
        ),
    ]
)


class Imports(NamedTuple):
    """What the pre-scan of a file finds: the modules its absolute imports name (``import
    a.b``, ``from a.b import c``: ``a.b``) and the level of each relative import."""

    absolute: tuple[str, ...] = ()
    relative: tuple[int, ...] = ()


NO_IMPORTS = Imports()
IMPORT_STATEMENT = re.compile(
    rb"[ \t]*(?:import[ \t]+([^\n#;]*)|from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import\b)"
)
DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\Z")


def scan_imports(data: bytes) -> Imports:
    """The import statements of a file's bytes, at any indentation, without parsing it.

    Finds each ``import`` keyword and matches its line from the start: a quarter of what
    matching every line costs (0.1 s for litellm's 42 MB). A docstring line that reads like an
    import counts as one; names are ASCII only; ``x = 1; import y`` is missed.
    """
    absolute: list[str] = []
    relative: list[int] = []
    find = data.find
    match = IMPORT_STATEMENT.match
    at = find(b"import")
    while at >= 0:
        found = match(data, data.rfind(b"\n", 0, at) + 1)
        if found is None or found.end() <= at:
            at = find(b"import", at + 6)
            continue
        at = find(b"import", found.end())
        names, dots, module = found.groups()
        if dots:
            relative.append(len(dots))
            continue
        for name in [module] if names is None else names.split(b","):
            words = name.split()
            if words:
                text = words[0].decode("ascii", "replace")
                if DOTTED.match(text):
                    absolute.append(text)
    return Imports(tuple(dict.fromkeys(absolute)), tuple(relative))


class Layout:
    """Facts of the file system a name depends on; memoised (one run sees one tree)."""

    def __init__(self) -> None:
        self._packages: dict[str, bool] = {}
        self._projects: dict[str, str | None] = {}

    def is_package(self, folder: str) -> bool:
        """Whether the folder holds an ``__init__.py``."""
        known = self._packages.get(folder)
        if known is None:
            known = os.path.isfile(os.path.join(folder, "__init__.py"))
            self._packages[folder] = known
        return known

    def project(self, folder: str) -> str | None:
        """The nearest folder at or above ``folder`` holding a project marker."""
        if folder in self._projects:
            return self._projects[folder]
        found = None
        if is_project(folder):
            found = folder
        else:
            parent = os.path.dirname(folder)
            found = self.project(parent) if parent != folder else None
        self._projects[folder] = found
        return found


def module_path(file: str) -> str:
    """The path a module stands for: its file without ``.py``, or a package's folder."""
    folder, name = os.path.split(file)
    return folder if name == "__init__.py" else file[:-3]


def parts(path: str) -> list[str]:
    return path.split(os.sep)


def below(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies under it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def up(path: str, levels: int) -> str:
    for _ in range(levels):
        path = os.path.dirname(path)
    return path


class Naming(NamedTuple):
    """The facts ``name_modules`` derives, exposed for tests and for discovery's claims."""

    roots: dict[str, list[str]]  # source root -> the module paths its votes name
    packages: set[str]  # folders relative imports make packages (beside ``__init__.py`` ones)
    shadowed: set[str]  # names a module of the same name imports: a library's


def infer_roots(
    files: Sequence[str], imports: Sequence[Imports], external: frozenset[str] = EXTERNAL
) -> Naming:
    """The source roots the imports vote for, and the folders relative imports climb through."""
    nodes: dict[str, set[str]] = {}  # last component -> module paths and folders ending so
    seen: set[str] = set()
    for file in files:
        for path in chain([module_path(file)], ancestors(os.path.dirname(file))):
            if path in seen:
                break
            seen.add(path)
            nodes.setdefault(os.path.basename(path), set()).add(path)

    found_targets: dict[str, list[tuple[str, str]]] = {}

    def targets(name: str) -> list[tuple[str, str]]:
        """The module paths and folders an import names, each with its root (ending in a
        separator)."""
        known = found_targets.get(name)
        if known is None:
            tail = os.sep + name.replace(".", os.sep)
            known = found_targets[name] = [
                (path, path[: len(path) - len(tail) + 1])
                for path in sorted(nodes.get(name.rpartition(".")[2], ()))
                if path.endswith(tail)
            ]
        return known

    shadowed: set[str] = set()  # ``celery.py`` importing ``celery``: the library's name
    for file, found in zip(files, imports, strict=True):
        # ``redis.py`` importing ``redis`` or ``redis.asyncio`` means the library, unless a
        # folder above it has that name (``app/app.py`` importing ``app.core``)
        folder, own = os.path.split(file[:-3])
        imported = {name.partition(".")[0] for name in found.absolute}
        if own != "__init__" and own in imported and own not in parts(folder):
            shadowed.add(own)
    roots: dict[str, list[str]] = {}
    packages: set[str] = set()
    for file, found in zip(files, imports, strict=True):
        folder = os.path.dirname(file)
        inside = os.path.join(folder, "")
        for name in found.absolute:
            first = name.partition(".")[0]
            if first in external or first in shadowed:
                continue
            matches = targets(name)
            for target, root in matches:
                if inside.startswith(root) or len(matches) == 1:
                    roots.setdefault(root.rstrip(os.sep) or os.sep, []).append(target)
        if found.relative:
            for level in range(max(found.relative)):
                packages.add(up(folder, level))
    return Naming(roots, packages, shadowed)


def name_modules(
    files: Sequence[str],
    imports: Sequence[Imports],
    layout: Layout | None = None,
    external: frozenset[str] = EXTERNAL,
) -> list[tuple[str, bool]]:
    """``(module, is_package)`` for each file (absolute paths), by the rule of this module's
    docstring: the same names whatever paths were given, as long as the same files are read."""
    layout = layout or Layout()
    naming = infer_roots(files, imports, external)
    roots, implied = naming.roots, naming.packages
    relative = [
        (os.path.dirname(file), found.relative)
        for file, found in zip(files, imports, strict=True)
        if found.relative
    ]

    def packaged(folder: str) -> bool:
        return folder in implied or layout.is_package(folder)

    package_bases: dict[str, str | None] = {}

    def package_base(folder: str) -> str | None:
        if folder not in package_bases:
            project = layout.project(folder)
            highest = None
            for directory in ancestors(folder):
                if packaged(directory):
                    highest = directory
                if directory == project:
                    break
            package_bases[folder] = os.path.dirname(highest) if highest else None
        return package_bases[folder]

    scores: dict[tuple[str, str], int] = {}

    def score(base: str, region: str) -> int:
        if (base, region) not in scores:
            scores[base, region] = count_votes(base, region)
        return scores[base, region]

    def count_votes(base: str, region: str) -> int:
        inside = os.path.join(region, "")
        votes = sum(1 for t in roots.get(base, ()) if t.startswith(inside) or t == region)
        depth = base.count(os.sep) if base != os.sep else 0
        for folder, levels in relative:
            if folder.startswith(inside) or folder == region:
                climb = folder.count(os.sep) - depth
                votes += sum(1 for level in levels if climb >= level)
        return votes

    bases: dict[str, tuple[str, bool]] = {}

    def base_of(folder: str) -> tuple[str, bool]:
        """The folder a file of ``folder`` is named from, and whether that is the fallback."""
        if folder in bases:
            return bases[folder]
        candidates = {directory for directory in ancestors(folder) if directory in roots}
        package = package_base(folder)
        if package is not None:
            candidates.add(package)
        if not candidates:
            bases[folder] = (layout.project(folder) or folder, True)
        elif len(candidates) == 1:
            bases[folder] = (candidates.pop(), False)
        else:
            region = max(candidates, key=len)
            chosen = max(candidates, key=lambda base: (score(base, region), len(base)))
            bases[folder] = (chosen, False)
        return bases[folder]

    placed: list[tuple[str, list[str], bool, bool]] = []  # base, parts, package, fallback
    claims: dict[str, set[str]] = {}  # a top-level name -> the bases that would define it
    for file in files:
        folder, filename = os.path.split(file)
        base, fallback = base_of(folder)
        is_package = filename == "__init__.py"
        relative_parts = [] if folder == base else parts(folder[len(base.rstrip(os.sep)) + 1 :])
        if not is_package:
            relative_parts.append(filename[:-3])
        placed.append((base, relative_parts, is_package, fallback))
        if relative_parts and not fallback:
            claims.setdefault(relative_parts[0], set()).add(base)
    taken = external | naming.shadowed
    named: list[tuple[str, bool]] = []
    for base, relative_parts, is_package, fallback in placed:
        top = relative_parts[0] if relative_parts else ""
        if (
            fallback
            or not relative_parts
            or len(claims[top]) > 1
            or (top in taken and not layout.is_package(os.path.join(base, top)))
        ):  # named from the folder above: no import spells it, or it would be ambiguous
            relative_parts = [os.path.basename(base) or "_", *relative_parts]
        named.append((".".join(part.replace(".", "_") for part in relative_parts), is_package))
    return unique(files, named)


def unique(files: Sequence[str], named: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Names made unique in the order of the files' paths: ``main``, ``main@2``..."""
    used: set[str] = set()
    result = list(named)
    for index in sorted(range(len(files)), key=files.__getitem__):
        module, is_package = named[index]
        name, counter = module, 1
        while name in used:
            counter += 1
            name = f"{module}@{counter}"
        used.add(name)
        result[index] = (name, is_package)
    return result


def claimed_folders(folders: Sequence[str], imports: Mapping[str, Imports]) -> list[str]:
    """The folders a default exclude held back (``discovery.Discovery.deferred``) that the
    project imports modules from: ``R/tools/build`` is claimed by ``import tools.build.x``
    (or ``tools.build``) made by a file under ``R``, as the imports that vote for a root."""
    by_name: dict[str, list[tuple[str, list[str]]]] = {}
    for folder in folders:
        absolute = os.path.abspath(folder)
        by_name.setdefault(os.path.basename(absolute), []).append((folder, parts(absolute)))
    claimed: set[str] = set()
    for file, found in imports.items():
        directory = os.path.dirname(file)
        for name in found.absolute:
            segments = name.split(".")
            if segments[0] in EXTERNAL:
                continue
            for index, segment in enumerate(segments):
                for folder, path in by_name.get(segment, ()):
                    head = segments[: index + 1]
                    if path[-len(head) :] == head:
                        root = os.sep.join(path[: -len(head)]) or os.sep
                        if below(directory, root):
                            claimed.add(folder)
    return [folder for folder in folders if folder in claimed]


def read_imports(path: str) -> Imports:
    """The pre-scan of one file (none when it cannot be read, or is not a regular file: a FIFO
    named ``x.py`` would block; its analysis will say why)."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return NO_IMPORTS
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return NO_IMPORTS
        with os.fdopen(handle, "rb") as file:
            handle = -1
            return scan_imports(file.read())
    except (OSError, ValueError):
        return NO_IMPORTS
    finally:
        if handle >= 0:
            os.close(handle)


# -- what a file given alone is linted with -------------------------------------------------


class Surroundings(NamedTuple):
    """What a file given alone is linted with (absolute folders)."""

    whole: list[str]  # read whole: the file's outermost package (or its folder outside them),
    # and the top-level packages its imports name in the folders above it, up to the project
    beside: list[str]  # only the modules directly in these: the folders above, to the project
    climbed: list[str]  # the folders whose markers decided it (watched by a replay)


def surroundings(
    file: str, imports: Imports | None = None, scanned: dict[str, Imports] | None = None
) -> Surroundings:
    """The modules around a file given alone: those it imports and those that import it.

    In a package, the rest of its outermost package; folders without ``__init__.py`` inside it
    (namespace portions, common for ``routers/``) do not end it. Inside a project (the folder
    of the nearest ``pyproject.toml`` or ``.git``), also the modules directly in each folder
    above, up to the project's, such as a ``main.py`` including the package's routers; the
    packages the file imports that lie in those folders (``from app.services import x`` in
    ``backend/app/routers/items.py`` reads ``backend/app``, namespace package or not); and for a
    file outside packages, everything under its own folder (a file of ``/tmp`` outside any
    project reads nothing else).
    """
    absolute = os.path.abspath(file)
    folder = os.path.dirname(absolute)
    package = project = None
    climbed = folders_to_project(folder)
    for directory in climbed:
        if os.path.isfile(os.path.join(directory, "__init__.py")):
            package = directory
    if is_project(climbed[-1]):
        project = climbed[-1]
    if project is None:
        return Surroundings([package] if package else [], [], climbed)
    whole = [package or folder]
    beside = []
    if whole[0] != project:
        for directory in ancestors(os.path.dirname(whole[0])):
            beside.append(directory)
            if directory == project:
                break
    if imports is None:
        imports = read_imports(absolute)
    for name in imports.absolute:  # the packages it imports from
        add_whole(whole, imported_package(name, folder, project))
    scanned = {} if scanned is None else scanned  # modules read for other files given
    for directory in beside:  # its own top-level package, as the modules above import it
        for module in modules_in(directory):
            if module not in scanned:
                scanned[module] = read_imports(module)
            for name in scanned[module].absolute:
                top = imported_package(name, folder, project)
                if top is not None and below(absolute, top):
                    add_whole(whole, top)
    return Surroundings(whole, beside, climbed)


def is_project(folder: str) -> bool:
    return any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS)


def folders_to_project(folder: str) -> list[str]:
    """``folder`` and those above it, up to its project's (all of them outside projects)."""
    climbed = []
    for directory in ancestors(folder):
        climbed.append(directory)
        if is_project(directory):
            break
    return climbed


def add_whole(whole: list[str], folder: str | None) -> None:
    """Add a folder to read whole, unless one there covers it; it replaces those it covers."""
    if folder is not None and not any(below(folder, w) for w in whole):
        whole[:] = [w for w in whole if not below(w, folder)] + [folder]


def modules_in(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.path for e in entries if e.name.endswith(".py") and e.is_file())
    except OSError:
        return []


def imported_package(name: str, folder: str, project: str) -> str | None:
    """The top-level package (a folder) a file's import names, found in the nearest folder
    from the file's up to the project's where the imported module exists."""
    segments = name.split(".")
    if segments[0] in EXTERNAL:
        return None
    for directory in ancestors(folder):
        top = os.path.join(directory, segments[0])
        if os.path.isdir(top):
            target = os.path.join(directory, *segments)
            if os.path.isdir(target) or os.path.isfile(target + ".py"):
                return top
        if directory == project:
            return None
    return None


def context_roots(
    paths: Sequence[os.PathLike[str] | str], imports: dict[str, Imports] | None = None
) -> tuple[list[str], list[str], list[str]]:
    """The surroundings of the files given alone, where the given folders do not cover them:
    the folders to read whole, those to read the modules directly in; and the markers that
    decided them, as paths a replay watches. ``imports``: pre-scans of given files by absolute
    path (an editor's buffer), read from disk otherwise.

    Folders given define the project; a file given alone is linted with its surroundings as
    context (the module that includes its router, the one defining the session it gets), the
    way pre-commit and editors pass single files. Findings are still reported for the given
    paths only.
    """
    walked = [os.path.join(os.path.abspath(p), "") for p in paths if os.path.isdir(p)]

    def listed(folders: set[str]) -> list[str]:
        return [
            folder
            for folder in sorted(folders)
            if not any(os.path.join(folder, "").startswith(w) for w in walked)
        ]

    whole: set[str] = set()
    beside: set[str] = set()
    climbed: set[str] = set()
    scanned: dict[str, Imports] = {}
    for path in paths:
        absolute = os.path.abspath(path)
        if os.path.isdir(path):  # the packages and the project above decide names in it
            climbed.update(folders_to_project(os.path.dirname(absolute)))
        else:
            around = surroundings(absolute, (imports or {}).get(absolute), scanned)
            whole.update(around.whole)
            beside.update(around.beside)
            climbed.update(around.climbed)
    whole = {w for w in whole if not any(w != o and below(w, o) for o in whole)}
    # a pyproject.toml above a target is watched already, as a configuration it could read
    markers = [
        EXISTS + os.path.join(folder, name)
        for folder in sorted(climbed)
        for name in (".git", "__init__.py")
    ]
    return listed(whole), listed(beside), markers
