"""The on-disk cache: module summaries by file state, and whole-run findings by project state.

It lives in ``.fastapi_lint_cache/`` at the project root (with a ``.gitignore`` of its own, so
it never shows up in ``git status``). Entries are written atomically (temporary file, then
``os.replace``), so concurrent runs never see half an entry; callers treat an entry that does
not decode as missing, and rewrite it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from fastapi_lint import __version__

DIRECTORY = ".fastapi_lint_cache"
GITIGNORE = "# Created by fastapi-lint automatically.\n*\n"
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# Created by fastapi-lint.\n"


@functools.cache
def environment() -> str:
    """What a cache entry is only valid for: this version of the tool, its very files (so a
    changed rule or knowledge table never reads old results), and this Python's ``ast``."""
    package = Path(__file__).parent
    files = sorted(
        (str(path.relative_to(package)), path.stat().st_mtime_ns, path.stat().st_size)
        for path in package.rglob("*.py")
    )
    return repr((__version__, sys.version_info[:2], files))


def key(*parts: object) -> str:
    """A stable hex digest of the parts, in this environment."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(environment().encode("utf-8", "surrogatepass"))
    for part in parts:
        digest.update(b"\0")
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Cache:
    """A folder of ``marshal`` entries, created on first write."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / DIRECTORY

    def read(self, kind: str, name: str) -> bytes | None:
        """An entry's bytes, or None when it is missing or unreadable."""
        try:
            with open(self.folder / kind / name, "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def write(self, kind: str, name: str, data: bytes) -> None:
        """Write an entry atomically; a cache that cannot be written is silently skipped."""
        try:
            folder = self.folder / kind
            if not folder.is_dir():
                self.create(folder)
            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, folder / name)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return

    def create(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", TAG)):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")

    def clean(self) -> bool:
        """Remove the cache folder; whether there was one."""
        if not self.folder.is_dir():
            return False
        shutil.rmtree(self.folder, ignore_errors=True)
        return True
