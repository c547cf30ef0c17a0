"""The on-disk cache: module summaries by file contents, whole-run findings by project contents.

It lives in ``.fastapi_lint_cache/`` at the project root (with a ``.gitignore`` of its own, so
it never shows up in ``git status``). Entries are written atomically (temporary file, then
``os.replace``), so concurrent runs never see half an entry; callers treat an entry that does
not decode as missing, and rewrite it.

This module is imported by every run, replayed ones included: it uses ``os`` alone.
"""

from __future__ import annotations

import os
import sys

try:  # hashlib would load OpenSSL first, for a hash it takes from _blake2 anyway
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without _blake2
    from hashlib import blake2b

from fastapi_lint import __version__

DIRECTORY = ".fastapi_lint_cache"
GITIGNORE = "# Created by fastapi-lint automatically.\n*\n"
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# Created by fastapi-lint.\n"
PACKAGE = os.path.dirname(os.path.abspath(__file__))
_environment: list[str] = []


def libcst_release() -> str:
    """The installed libcst, which reads code newer than this Python (its ``dist-info``
    folder, found without importing it): another release may read a file differently."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("libcst-") and name.endswith(".dist-info"):
                return name
    return ""


def environment() -> str:
    """What a cache entry is only valid for: this version of the tool, its very files (so a
    changed rule or knowledge table never reads old results), this Python's ``ast``, and the
    libcst release that reads newer syntax."""
    if not _environment:
        files = []
        for folder, subfolders, names in os.walk(PACKAGE):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(names):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(folder, name))
                    relative = os.path.relpath(os.path.join(folder, name), PACKAGE)
                    files.append((relative, info.st_mtime_ns, info.st_size))
        release = (__version__, sys.version_info[:2], libcst_release())
        _environment.append(repr((*release, sorted(files))))
    return _environment[0]


def key(*parts: object) -> str:
    """A stable hex digest of the parts, in this environment."""
    digest = blake2b(digest_size=16)
    digest.update(environment().encode("utf-8", "surrogatepass"))
    for part in parts:
        digest.update(b"\0")
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Cache:
    """A folder of ``marshal`` entries under ``root``, created on first write."""

    def __init__(self, root: str | os.PathLike[str], keep_decoded: bool = False) -> None:
        self.root = root
        self.folder = os.path.join(root, DIRECTORY)
        # a long-running process (the language server) keeps the summaries of the last run
        # decoded, by entry name, so that the next run neither reads nor decodes them again
        self.decoded: dict[str, object] | None = {} if keep_decoded else None
        self.names: tuple[object, list] | None = None  # likewise, the last run's module names

    def read(self, kind: str, name: str) -> bytes | None:
        """An entry's bytes, or None when it is missing or unreadable."""
        try:
            with open(os.path.join(self.folder, kind, name), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def write(self, kind: str, name: str, data: bytes) -> None:
        """Write an entry atomically; a cache that cannot be written is silently skipped."""
        try:
            folder = os.path.join(self.folder, kind)
            if not os.path.isdir(folder):
                self.create(kind)
            temporary = os.path.join(folder, f".tmp-{os.getpid()}-{os.urandom(8).hex()}")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, os.path.join(folder, name))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return

    def create(self, kind: str = "") -> None:
        """The cache folder (and the ``kind`` folder in it), with its markers."""
        try:
            os.makedirs(os.path.join(self.folder, kind), exist_ok=True)
            for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", TAG)):
                marker = os.path.join(self.folder, name)
                if not os.path.exists(marker):
                    with open(marker, "w", encoding="utf-8") as handle:
                        handle.write(text)
        except OSError:
            return

    def clean(self) -> bool:
        """Remove the cache folder; whether there was one."""
        if not os.path.isdir(self.folder):
            return False
        import shutil  # only here: a run never needs it

        shutil.rmtree(self.folder, ignore_errors=True)
        return True
