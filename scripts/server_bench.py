"""Time the language server as an editor sees it, through a real LSP client (pygls').

Usage: python scripts/server_bench.py FILE [--root DIR] [--edits N]

Starts ``fastapi-lint server``, opens FILE (its workspace folder: ``--root``, else the
nearest folder above it with a ``pyproject.toml`` or ``.git``), and prints how long the first
diagnostics took; then makes N one-line edits of FILE (a comment added at its end, then
removed, in turns) and prints the median and 95th percentile of the time from each change to
the diagnostics of that version.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path


def project_root(path: Path) -> Path:
    for folder in path.resolve().parents:
        if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
            return folder
    return path.resolve().parent


async def measure(path: Path, root: Path, edits: int) -> tuple[float, list[float]]:
    client = LanguageClient("server-bench", "1")
    uri = from_fs_path(str(path.resolve())) or ""
    arrived: dict[int | None, float] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == uri:
            arrived.setdefault(params.version, time.perf_counter())

    async def wait_for(version: int, since: float) -> float:
        while version not in arrived:
            await asyncio.sleep(0.002)
        return arrived[version] - since

    await client.start_io(sys.executable, "-m", "fastapi_lint", "server")
    folder = types.WorkspaceFolder(uri=from_fs_path(str(root)) or "", name=root.name)
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), workspace_folders=[folder])
    )
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    first = await wait_for(1, started)
    latencies = []
    for version in range(2, edits + 2):
        edited = text + "# an edit\n" if version % 2 == 0 else text
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentContentChangeWholeDocument(text=edited)
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
        )
        latencies.append(await wait_for(version, started))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    root = args.root or project_root(args.file)
    first, latencies = asyncio.run(measure(args.file, root, args.edits))
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"first diagnostics: {first * 1000:.0f} ms")
    median = statistics.median(latencies)
    print(f"after an edit: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
