"""``fastapi-lint server``: a language server over stdio (pygls).

Every open document is linted from its unsaved text, with the other open documents of its
workspace folder as one project and the rest of the project as context (the CLI's cache
serves the files on disk), after each change (debounced), on open and on save. Each lint
republishes the diagnostics of every open document of the folder whose findings changed, so an
edit of a helper updates the route that calls it. Code actions: ``# noqa`` for a line, the
rule's page, the rule's fixes, and ``source.fixAll.fastapi-lint`` for the safe ones.
"""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from fastapi_lint import __version__, engine
from fastapi_lint.add_noqa import SYNTAX_ERROR, edited
from fastapi_lint.apply_fixes import fixes_in_texts
from fastapi_lint.cache import Cache
from fastapi_lint.cli import apply_options, nearest_config
from fastapi_lint.config import ConfigError, Settings, load_settings
from fastapi_lint.docs import rule_url
from fastapi_lint.engine import internal_error, lint
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import SAFE, Fix, apply
from fastapi_lint.source import lines_with_ends

NAME = "fastapi-lint"
DEBOUNCE = 0.15  # seconds of quiet after a change before the project is linted again
SHOW_DOCUMENTATION = "fastapi-lint.showDocumentation"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{NAME}"
WATCHED = ("**/*.py", "**/pyproject.toml", "**/.gitignore")


class FastAPILintServer(LanguageServer):
    """The server's state: the findings of each open document, and the lints pending per
    project root."""

    def __init__(self) -> None:
        super().__init__(NAME, __version__)
        self.options: dict[str, Any] = {}  # the client's initializationOptions
        self.findings: dict[str, list[Finding]] = {}  # by document URI, as last published
        self.versions: dict[str, int | None] = {}  # the document versions they were for
        self.pending: dict[Path, asyncio.Task[None]] = {}
        self.running: dict[Path, asyncio.Lock] = {}
        self.sleeping: set[Path] = set()  # roots whose pending lint still waits for quiet
        self.caches: dict[Path, Cache] = {}  # by root: the summaries of its last lint, decoded

    # -- what to lint ------------------------------------------------------------------

    def root_of(self, path: str) -> Path:
        """The workspace folder holding a file (the innermost), else its project's folder."""
        folders = [Path(to_fs_path(f.uri) or "") for f in self.workspace.folders.values()]
        holding = [f for f in folders if Path(path).is_relative_to(f)]
        if holding:
            return max(holding, key=lambda folder: len(folder.parts))
        config = nearest_config(Path(path))
        return config.parent if config is not None else Path(path).parent

    def open_documents(self, root: Path) -> dict[str, TextDocument]:
        """The open Python documents under a root, by file path."""
        found = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path and path.endswith((".py", ".pyi")) and self.root_of(path) == root:
                found[os.path.abspath(path)] = document
        return found

    def settings_for(self, root: Path) -> Settings:
        """The project's ``[tool.fastapi-lint]``, with the client's selection over it."""
        settings = load_settings(nearest_config(root))
        options = self.options
        return apply_options(
            settings,
            options.get("select"),
            list(options.get("extend-select", [])),
            list(options.get("ignore", [])),
        )

    # -- linting -----------------------------------------------------------------------

    def schedule(self, root: Path, delay: float = DEBOUNCE) -> None:
        """Lint a root's open documents once changes pause (a newer change restarts the wait;
        a lint under way runs to its end, and the newest request lints after it)."""
        waiting = self.pending.get(root)
        if waiting is not None and root in self.sleeping:
            waiting.cancel()
        self.sleeping.add(root)
        self.pending[root] = asyncio.get_running_loop().create_task(self.relint(root, delay))

    def schedule_document(self, uri: str, delay: float = DEBOUNCE) -> None:
        """Lint the project of a document (of a file URI; others are not linted)."""
        path = to_fs_path(uri)
        if path:
            self.schedule(self.root_of(path), delay)

    def schedule_all(self, delay: float = DEBOUNCE) -> None:
        """Lint every project with an open document."""
        paths = [to_fs_path(uri) for uri in self.workspace.text_documents]
        for root in {self.root_of(path) for path in paths if path}:
            self.schedule(root, delay)

    async def relint(self, root: Path, delay: float) -> None:
        await asyncio.sleep(delay)
        self.sleeping.discard(root)
        lock = self.running.setdefault(root, asyncio.Lock())
        async with lock:  # one lint of a root at a time (a thread cannot be cancelled)
            if self.pending.get(root) is not asyncio.current_task():
                return  # a newer request waits: it lints the newest text
            documents = self.open_documents(root)
            if not documents:
                return
            texts = {path: document.source for path, document in documents.items()}
            try:
                findings, messages = await asyncio.to_thread(self.lint_texts, root, texts)
            except ConfigError as error:
                self.log(types.MessageType.Error, str(error))
                return
            except Exception as error:  # never take the editor's session down
                self.log(types.MessageType.Error, internal_error(error))
                return
        for message in messages:  # sent from the loop's thread, as every message
            self.log(types.MessageType.Warning, message)
        for path, document in self.open_documents(root).items():
            if path in texts and document.source == texts[path]:
                self.publish(document, findings.get(path, []))

    def lint_texts(
        self, root: Path, texts: dict[str, str]
    ) -> tuple[dict[str, list[Finding]], list[str]]:
        """The findings of each document (by path) as one project, from their texts, and
        the run's errors and warnings."""
        settings = self.settings_for(root)
        buffers = {path: (None, text) for path, text in texts.items()}
        cache = self.caches.get(root)  # one lint of a root at a time uses it
        if cache is None or cache.root != (settings.root or root):
            cache = self.caches[root] = Cache(settings.root or root, keep_decoded=True)
        result = lint([Path(path) for path in texts], settings, cache, buffers)
        by_path: dict[str, list[Finding]] = {}
        for finding in result.findings:
            by_path.setdefault(os.path.abspath(finding.path), []).append(finding)
        return by_path, [*result.errors, *result.warnings]

    def publish(self, document: TextDocument, findings: list[Finding]) -> None:
        """Send a document's diagnostics, unless the client has them for this very version."""
        known = self.findings.get(document.uri)
        if known == findings and self.versions.get(document.uri) == document.version:
            return
        self.findings[document.uri] = findings
        self.versions[document.uri] = document.version
        diagnostics = [diagnostic(document, finding) for finding in findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, diagnostics=diagnostics, version=document.version
            )
        )

    def clear(self, uri: str) -> None:
        self.findings.pop(uri, None)
        self.versions.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def log(self, kind: types.MessageType, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=f"{NAME}: {message}"))

    # -- code actions ------------------------------------------------------------------

    def findings_at(self, uri: str, diagnostics: list[types.Diagnostic]) -> list[Finding]:
        """The findings behind the client's diagnostics (matched by code and place)."""
        document = self.workspace.get_text_document(uri)
        wanted = {(d.code, corners(d.range)) for d in diagnostics if d.source == NAME}
        return [
            finding
            for finding in self.findings.get(uri, [])
            if (finding.code, corners(place(document, finding))) in wanted
        ]

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = self.workspace.get_text_document(uri)
        only = params.context.only
        actions: list[types.CodeAction] = []
        if only is None or any(FIX_ALL.startswith(kind) for kind in only):
            fix_all = self.fix_all(document)
            if fix_all is not None:
                actions.append(fix_all)
        if only is not None and not any(
            types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only
        ):
            return actions
        findings = self.findings_at(uri, params.context.diagnostics)
        text = document.source
        offered = self.fixes(document, findings)
        for finding in findings:
            fix = offered.get(finding)
            if fix is not None:
                title = f"{finding.code}: {fix.message}"
                if fix.applicability != SAFE:
                    title += " (unsafe)"
                new_text = apply(text, [fix])[0]
                actions.append(self.edit_action(title, document, new_text, finding))
            if finding.code != SYNTAX_ERROR:
                new_text = edited(text, [finding])[0]
                if new_text != text:
                    title = f"Ignore {finding.code} for this line"
                    actions.append(self.edit_action(title, document, new_text, finding))
            actions.append(
                types.CodeAction(
                    title=f"Show documentation for {finding.code}",
                    kind=types.CodeActionKind.QuickFix,
                    command=types.Command(
                        title=f"Show documentation for {finding.code}",
                        command=SHOW_DOCUMENTATION,
                        arguments=[finding.code],
                    ),
                )
            )
        return actions

    def fixes(self, document: TextDocument, findings: list[Finding]) -> dict[Finding, Fix]:
        """The fix each of a document's findings is offered in its unsaved text, safe or not."""
        settings = self.settings_for(self.root_of(to_fs_path(document.uri) or ""))
        texts = {finding.path: document.source for finding in findings}
        return fixes_in_texts(findings, texts, settings)

    def fix_all(self, document: TextDocument) -> types.CodeAction | None:
        """Every safe fix of the document's findings that applies at once."""
        findings = self.findings.get(document.uri, [])
        safe = [fix for fix in self.fixes(document, findings).values() if fix.applicability == SAFE]
        if not safe:
            return None
        new_text = apply(document.source, safe)[0]
        action = self.edit_action("Fix all safe fastapi-lint findings", document, new_text)
        action.kind = FIX_ALL
        return action

    def edit_action(
        self, title: str, document: TextDocument, new_text: str, finding: Finding | None = None
    ) -> types.CodeAction:
        edit = types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=document.uri, version=document.version
                    ),
                    edits=[smallest_edit(document, new_text)],
                )
            ]
        )
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            edit=edit,
            diagnostics=[diagnostic(document, finding)] if finding is not None else None,
        )


def place(document: TextDocument, finding: Finding) -> types.Range:
    """A finding's range in the client's position units (1-based character columns to
    0-based positions in what the client counts: UTF-16 code units unless agreed otherwise)."""
    start = types.Position(line=finding.line - 1, character=finding.col - 1)
    end = types.Position(line=finding.end_line - 1, character=finding.end_col - 1)
    span = types.Range(start=start, end=end)
    return document.position_codec.range_to_client_units(document.lines, span)


def corners(span: types.Range) -> tuple[int, int, int, int]:
    """A range as a value that can be compared and hashed."""
    return (span.start.line, span.start.character, span.end.line, span.end.character)


def diagnostic(document: TextDocument, finding: Finding) -> types.Diagnostic:
    related = []
    for path, line, text in finding.chain_steps():
        start = types.Position(line=line - 1, character=0)
        uri = from_fs_path(os.path.abspath(path)) or path
        location = types.Location(uri=uri, range=types.Range(start=start, end=start))
        related.append(types.DiagnosticRelatedInformation(location=location, message=text))
    return types.Diagnostic(
        range=place(document, finding),
        message=finding.message,
        severity=(
            types.DiagnosticSeverity.Error
            if finding.code == SYNTAX_ERROR
            else types.DiagnosticSeverity.Warning
        ),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=NAME,
        related_information=related or None,
    )


def smallest_edit(document: TextDocument, new_text: str) -> types.TextEdit:
    """One edit that turns the document's text into ``new_text``: the lines that differ."""
    old = lines_with_ends(document.source)
    new = lines_with_ends(new_text)
    first = 0
    while first < min(len(old), len(new)) and old[first] == new[first]:
        first += 1
    last_old, last_new = len(old), len(new)
    while last_old > first and last_new > first and old[last_old - 1] == new[last_new - 1]:
        last_old -= 1
        last_new -= 1
    start = types.Position(line=first, character=0)
    end = types.Position(line=last_old, character=0)
    return types.TextEdit(
        range=types.Range(start=start, end=end), new_text="".join(new[first:last_new])
    )


server = FastAPILintServer()


@server.feature(types.INITIALIZE)
def initialize(ls: FastAPILintServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    ls.options = dict(options) if isinstance(options, dict) else {}


@server.feature(types.INITIALIZED)
async def initialized(ls: FastAPILintServer, params: types.InitializedParams) -> None:
    """Ask the client to report changes of Python files and configs on disk (a checkout, a
    formatter run), where it can."""
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace is not None else None
    if watching is None or not watching.dynamic_registration:
        return
    watchers = [types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
    options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
    registration = types.Registration(
        id=f"{NAME}-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    await ls.client_register_capability_async(
        types.RegistrationParams(registrations=[registration])
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: FastAPILintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule_document(params.text_document.uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: FastAPILintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule_document(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: FastAPILintServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule_document(params.text_document.uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: FastAPILintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.clear(params.text_document.uri)
    # the other documents no longer see its unsaved text, but the file on disk
    ls.schedule_document(params.text_document.uri, delay=0)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(
    ls: FastAPILintServer, params: types.DidChangeWatchedFilesParams
) -> None:
    if any(
        change.type != types.FileChangeType.Changed or not change.uri.endswith(".py")
        for change in params.changes
    ):  # a file added or gone, a config changed: module names may differ
        ls.caches.clear()
    ls.schedule_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_folders(
    ls: FastAPILintServer, params: types.DidChangeWorkspaceFoldersParams
) -> None:
    ls.caches.clear()
    ls.schedule_all(delay=0)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False
    ),
)
def code_action(ls: FastAPILintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return ls.code_actions(params)


@server.command(SHOW_DOCUMENTATION)
async def show_documentation(ls: FastAPILintServer, code: str) -> None:
    await ls.window_show_document_async(
        types.ShowDocumentParams(uri=rule_url(str(code)), external=True)
    )


def serve() -> None:
    """Run the server on stdin and stdout until the client says exit (with the cyclic
    collector on, which a one-shot run leaves off: a session lints many times)."""
    gc.enable()
    engine.POOL_START = "forkserver"
    server.start_io()
