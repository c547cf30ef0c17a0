"""The language server, end to end with pygls' client over stdio: diagnostics on open, change
and close, updates of other open files, code actions, settings, shutdown."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from fastapi_lint.docs import rule_url

ROUTE = """import time

from fastapi import FastAPI

from helpers import audit

app = FastAPI()


@app.get("/slow")
async def slow() -> None:
    time.sleep(1)


@app.get("/audited")
async def audited() -> None:
    audit()
"""
HELPERS = """import time


def audit() -> None:
    time.sleep(2)
"""
TIMEOUT = 30


class Session:
    """A client talking to ``fastapi-lint server``, keeping the diagnostics it is sent."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.registrations: list[str] = []
        self.shown: list[str] = []
        self.logged: list[str] = []

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.root / name)) or ""

    def open(self, name: str) -> None:
        uri = self.uri(name)
        self.versions[uri] = 1
        text = (self.root / name).read_text()
        item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    def change(self, name: str, text: str) -> None:
        """Replace a document's whole unsaved text."""
        uri = self.uri(name)
        self.versions[uri] += 1
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        change = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
        )

    async def until(self, name: str, test: Callable[[list[types.Diagnostic]], bool]) -> list:
        """The document's diagnostics once they pass ``test`` (fails after ``TIMEOUT``)."""
        uri = self.uri(name)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if uri in self.diagnostics and test(self.diagnostics[uri]):
                return self.diagnostics[uri]
            await asyncio.sleep(0.02)
        raise AssertionError(f"{name}: diagnostics never passed: {self.diagnostics.get(uri)}")


def run(
    root: Path,
    scenario: Callable[[Session], Awaitable[None]],
    options: object = None,
    folders: list[Path] | None = None,
) -> None:
    async def main() -> None:
        client = LanguageClient("test-client", "1")
        session = Session(client, root)

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def registered(params: types.RegistrationParams) -> None:
            session.registrations += [registration.method for registration in params.registrations]

        @client.feature(types.WINDOW_SHOW_DOCUMENT)
        def shown(params: types.ShowDocumentParams) -> types.ShowDocumentResult:
            session.shown.append(params.uri)
            return types.ShowDocumentResult(success=True)

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams) -> None:
            session.logged.append(params.message)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            session.diagnostics[params.uri] = params.diagnostics

        await client.start_io(sys.executable, "-m", "fastapi_lint", "server")
        workspace = [
            types.WorkspaceFolder(uri=from_fs_path(str(folder)) or "", name=folder.name)
            for folder in folders or [root]
        ]
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    workspace=types.WorkspaceClientCapabilities(
                        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                            dynamic_registration=True
                        )
                    )
                ),
                workspace_folders=workspace,
                initialization_options=options,
            )
        )
        client.initialized(types.InitializedParams())
        try:
            await scenario(session)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    asyncio.run(main())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n')  # the project's root
    (tmp_path / "main.py").write_text(ROUTE)
    (tmp_path / "helpers.py").write_text(HELPERS)
    return tmp_path


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def test_diagnostics_follow_the_unsaved_text(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        found = await session.until("main.py", lambda d: "FAL101" in codes(d))
        blocking = next(d for d in found if d.code == "FAL101")
        assert blocking.range == types.Range(
            start=types.Position(line=11, character=4), end=types.Position(line=11, character=17)
        )
        assert blocking.source == "fastapi-lint"
        assert blocking.code_description.href == rule_url("FAL101")
        assert "time.sleep" in blocking.message
        session.change("main.py", ROUTE.replace("time.sleep(1)", "pass"))
        await session.until("main.py", lambda d: "FAL101" not in codes(d))
        session.change("main.py", ROUTE.replace("async def slow() -> None:", "async def slow("))
        broken = await session.until("main.py", lambda d: codes(d) == ["FAL001"])
        assert broken[0].severity == types.DiagnosticSeverity.Error
        session.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri("main.py"))
            )
        )
        await session.until("main.py", lambda d: len(d) == 0)

    run(project, scenario)


def test_an_edit_of_a_helper_updates_the_route_that_calls_it(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        session.open("helpers.py")
        found = await session.until("main.py", lambda d: "FAL103" in codes(d))
        chained = next(d for d in found if d.code == "FAL103")
        related = chained.related_information
        assert related is not None
        assert [(r.location.uri, r.location.range.start.line) for r in related] == [
            (session.uri("main.py"), 16),
            (session.uri("helpers.py"), 4),
        ]
        assert related[0].message == "`audited` calls `audit`"
        session.change("helpers.py", HELPERS.replace("time.sleep(2)", "pass"))
        await session.until("main.py", lambda d: "FAL103" not in codes(d) and "FAL101" in codes(d))

    run(project, scenario)


def test_code_actions_offer_noqa_documentation_fixes_and_fix_all(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        found = await session.until("main.py", lambda d: "FAL101" in codes(d))
        blocking = [d for d in found if d.code == "FAL101"]
        identifier = types.TextDocumentIdentifier(uri=session.uri("main.py"))
        context = types.CodeActionContext(diagnostics=blocking)
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=identifier, range=blocking[0].range, context=context
            )
        )
        titles = [action.title for action in actions]
        assert "Ignore FAL101 for this line" in titles
        assert "Show documentation for FAL101" in titles
        assert any(title.startswith("FAL101: ") for title in titles)
        ignore = next(a for a in actions if a.title == "Ignore FAL101 for this line")
        edit = ignore.edit.document_changes[0].edits[0]
        assert edit.new_text == "    time.sleep(1)  # noqa: FAL101\n"
        assert edit.range == types.Range(
            start=types.Position(line=11, character=0), end=types.Position(line=12, character=0)
        )
        fix = next(a for a in actions if a.title.startswith("FAL101: "))
        assert "await asyncio.sleep(1)" in fix.edit.document_changes[0].edits[0].new_text
        only = types.CodeActionContext(diagnostics=[], only=["source.fixAll"])
        fix_all = await session.client.text_document_code_action_async(
            types.CodeActionParams(text_document=identifier, range=blocking[0].range, context=only)
        )
        assert [action.kind for action in fix_all] == ["source.fixAll.fastapi-lint"]
        docs = next(a for a in actions if a.title == "Show documentation for FAL101")
        # pygls' client reads a code action holding a command as a Command: its `command` is
        # then the nested command's text
        assert "fastapi-lint.showDocumentation" in str(docs.command) and "FAL101" in str(docs)
        await session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="fastapi-lint.showDocumentation", arguments=["FAL101"]
            )
        )
        assert session.shown == [rule_url("FAL101")]

    run(project, scenario)


def test_files_changed_on_disk_are_picked_up(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        await session.until("main.py", lambda d: "FAL103" in codes(d))
        (project / "helpers.py").write_text(HELPERS.replace("time.sleep(2)", "pass"))
        change = types.FileEvent(uri=session.uri("helpers.py"), type=types.FileChangeType.Changed)
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[change])
        )
        await session.until("main.py", lambda d: "FAL103" not in codes(d) and "FAL101" in codes(d))
        assert session.registrations == ["workspace/didChangeWatchedFiles"]

    run(project, scenario)


def test_initialization_options_select_rules(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        found = await session.until("main.py", lambda d: len(d) > 0)
        assert set(codes(found)) == {"FAL103"}

    run(project, scenario, options={"select": ["FAL103"]})


def test_bad_input_is_reported_not_fatal(project: Path) -> None:
    """An untitled buffer is not linted; a broken config is logged; the session goes on."""

    async def scenario(session: Session) -> None:
        untitled = types.TextDocumentItem(
            uri="untitled:Untitled-1", language_id="python", version=1, text="import time\n"
        )
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=untitled)
        )
        (project / "pyproject.toml").write_text("[tool.fastapi-lint]\nselect = 3\n")
        session.open("main.py")
        deadline = time.monotonic() + TIMEOUT
        while not session.logged and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert any("pyproject.toml" in message for message in session.logged), session.logged
        (project / "pyproject.toml").write_text('[project]\nname = "shop"\n')
        session.change("main.py", ROUTE)
        await session.until("main.py", lambda d: "FAL101" in codes(d))
        assert "untitled:Untitled-1" not in session.diagnostics

    run(project, scenario)


def test_each_workspace_folder_is_its_own_project(tmp_path: Path) -> None:
    """Two folders with a `helpers.py` each: a route sees its own folder's helper only."""
    for name, body in (("slow", "time.sleep(2)"), ("fast", "pass")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n')
        (folder / "main.py").write_text(ROUTE)
        (folder / "helpers.py").write_text(HELPERS.replace("time.sleep(2)", body))

    async def scenario(session: Session) -> None:
        session.open("slow/main.py")
        session.open("fast/main.py")
        await session.until("slow/main.py", lambda d: "FAL103" in codes(d))
        fast = await session.until("fast/main.py", lambda d: "FAL101" in codes(d))
        assert "FAL103" not in codes(fast)

    run(tmp_path, scenario, folders=[tmp_path / "slow", tmp_path / "fast"])


def test_rapid_changes_end_with_the_diagnostics_of_the_last_text(project: Path) -> None:
    async def scenario(session: Session) -> None:
        session.open("main.py")
        await session.until("main.py", lambda d: "FAL101" in codes(d))
        for number in range(8):  # typing: the last text has no blocking call left
            text = ROUTE if number < 7 else ROUTE.replace("time.sleep(1)", "pass")
            session.change("main.py", text + f"# {number}\n")
            await asyncio.sleep(0.03)
        await session.until("main.py", lambda d: "FAL101" not in codes(d))
        await asyncio.sleep(0.5)  # nothing older arrives after it
        assert "FAL101" not in codes(session.diagnostics[session.uri("main.py")])

    run(project, scenario)
