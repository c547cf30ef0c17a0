"""libcst's tree of a module as the ``ast.Module`` CPython builds from the same text.

Used only for files this Python's parser rejects (see ``newer_syntax``). Every node is placed as
CPython places it: 1-based lines, columns in UTF-8 bytes, parentheses around an expression
outside it (but inside a tuple or generator expression they make), a compound statement ending
with its last statement. A construct this Python's ``ast`` lacks becomes the nearest one it has:

- type parameters (PEP 695, defaults PEP 696) are ``ast.TypeVar`` & co. from 3.12 (defaults
  from 3.13) and dropped before;
- ``type X = v`` is a ``TypeAlias`` statement; before 3.12, an instance of the stand-in class
  below, with 3.12's fields, so the summary is the same on every Python (its value is not run
  where it is written);
- t-strings (PEP 750) are ``JoinedStr``, their interpolations ``FormattedValue``;
- ``except A, B:`` (PEP 758) holds a ``Tuple``, as 3.14 makes it; ``except*`` before 3.11 is a
  plain ``try`` (PEP 646 stars before 3.11 are ``Starred`` nodes, as 3.11 makes them).

While converting, the converter also notes how to spell the same module in syntax this Python
reads (``old_syntax``): ``newer_syntax`` parses that text to reject what libcst accepts but no
Python does (``1 = x``, ``f(**a, *b)``...). ``Rejected`` is raised for the few things CPython
refuses inside constructs that old spelling rewrites (strings, f-strings, t-strings).
"""

from __future__ import annotations

import ast
import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from typing import Any

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

Part = str | tuple[int, int]  # text, or a range of the source to spell in old syntax
Edit = tuple[int, int, list[Part]]

TYPE_PARAMS = sys.version_info >= (3, 12)  # ast.TypeVar & co., type_params fields
TYPE_DEFAULTS = sys.version_info >= (3, 13)  # their default_value
NEW_FSTRINGS = sys.version_info >= (3, 12)  # PEP 701: this Python reads every f-string
STARS = sys.version_info >= (3, 11)  # except*, PEP 646 stars
LINE_BREAK = re.compile(r"\r\n|\r|\n")
SPACE = re.compile(r"(?:[ \t\f\r\n]|\\\r?\n|\\\r|#[^\r\n]*)*")  # blanks, joined lines, comments
STRING_PART = re.compile(  # what the text of an f-string decodes: escapes, doubled braces
    r"\\(?:N\{[^{}]*\}|x[0-9A-Fa-f]{0,2}|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|[0-7]{1,3}|\r\n|[^{}])"
    r"|\{\{|\}\}"
)
RAW_PART = re.compile(r"\{\{|\}\}")
KEYWORD_CONSTANTS = {"None": None, "True": True, "False": False}
CONVERSIONS = {None: -1, "s": 115, "r": 114, "a": 97}
MAX_SPEC_NESTING = 2  # f"{x:{y:{z}}}" is as deep as CPython goes

if TYPE_PARAMS:
    TypeAlias: type[ast.stmt] = ast.TypeAlias
else:

    class TypeAlias(ast.stmt):  # type: ignore[no-redef]
        """``type name = value``, as Python 3.12's ``ast`` has it (``type_params`` is empty)."""

        _fields = ("name", "type_params", "value")


class Rejected(Exception):
    """The module holds something no Python accepts."""


LOAD, STORE, DEL = ast.Load(), ast.Store(), ast.Del()
OPERATORS: dict[type, type] = {
    cst.Add: ast.Add,
    cst.Subtract: ast.Sub,
    cst.Multiply: ast.Mult,
    cst.Divide: ast.Div,
    cst.FloorDivide: ast.FloorDiv,
    cst.Modulo: ast.Mod,
    cst.Power: ast.Pow,
    cst.LeftShift: ast.LShift,
    cst.RightShift: ast.RShift,
    cst.BitOr: ast.BitOr,
    cst.BitAnd: ast.BitAnd,
    cst.BitXor: ast.BitXor,
    cst.MatrixMultiply: ast.MatMult,
    cst.AddAssign: ast.Add,
    cst.SubtractAssign: ast.Sub,
    cst.MultiplyAssign: ast.Mult,
    cst.DivideAssign: ast.Div,
    cst.FloorDivideAssign: ast.FloorDiv,
    cst.ModuloAssign: ast.Mod,
    cst.PowerAssign: ast.Pow,
    cst.LeftShiftAssign: ast.LShift,
    cst.RightShiftAssign: ast.RShift,
    cst.BitOrAssign: ast.BitOr,
    cst.BitAndAssign: ast.BitAnd,
    cst.BitXorAssign: ast.BitXor,
    cst.MatrixMultiplyAssign: ast.MatMult,
    cst.Not: ast.Not,
    cst.Minus: ast.USub,
    cst.Plus: ast.UAdd,
    cst.BitInvert: ast.Invert,
    cst.And: ast.And,
    cst.Or: ast.Or,
    cst.Equal: ast.Eq,
    cst.NotEqual: ast.NotEq,
    cst.LessThan: ast.Lt,
    cst.LessThanEqual: ast.LtE,
    cst.GreaterThan: ast.Gt,
    cst.GreaterThanEqual: ast.GtE,
    cst.Is: ast.Is,
    cst.IsNot: ast.IsNot,
    cst.In: ast.In,
    cst.NotIn: ast.NotIn,
}


def convert(module: cst.Module, text: str) -> tuple[ast.Module, str]:
    """The ``ast`` tree of ``module`` (parsed from ``text``), and ``text`` in old syntax."""
    converter = Converter(module, text)
    tree = ast.Module(body=converter.statements(module.body), type_ignores=[])
    return tree, converter.old_syntax()


def positions(module: cst.Module) -> Any:
    """libcst's ``PositionProvider`` ranges of every node of ``module``. Asked for directly:
    ``MetadataWrapper.resolve`` would also walk the whole tree once more for the batchable
    providers it has none of here, which takes two fifths of the time."""
    provider = PositionProvider()
    try:
        provider._gen_impl(module)
        return provider._computed
    except AttributeError:  # a libcst whose internals changed: its public way
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def literal(source: str) -> Any:
    """The value of one string or number literal, as CPython reads it."""
    try:
        return ast.literal_eval(source)
    except (SyntaxError, ValueError) as error:
        raise Rejected(str(error)) from None


class Converter:
    """Converts the nodes of one module; positions come from libcst's ``PositionProvider``."""

    def __init__(self, module: cst.Module, text: str) -> None:
        self.text = text
        self.ranges = positions(module)
        self.lines = LINE_BREAK.split(text)
        self.line_starts = [0]
        for match in LINE_BREAK.finditer(text):
            self.line_starts.append(match.end())
        self.edits: list[Edit] = []
        self.starts: list[int] = []
        self.spec_depth = 0

    # -- positions --------------------------------------------------------------------------

    def column(self, line: int, column: int) -> int:
        """A character column as CPython's UTF-8 byte offset."""
        text = self.lines[line - 1]
        if text.isascii():
            return column
        return len(text[:column].encode("utf-8", "surrogatepass"))

    def place(self, node: Any, where: CodeRange) -> Any:
        node.lineno = where.start.line
        node.col_offset = self.column(where.start.line, where.start.column)
        node.end_lineno = where.end.line
        node.end_col_offset = self.column(where.end.line, where.end.column)
        return node

    def at(self, node: Any, source: cst.CSTNode) -> Any:
        """``node`` placed where ``source`` is (its own parentheses left out)."""
        return self.place(node, self.ranges[source])

    def outer(self, node: cst.CSTNode) -> CodeRange:
        """Where ``node`` is with all its parentheses."""
        lpar = getattr(node, "lpar", None)
        if lpar:
            return CodeRange(self.ranges[lpar[0]].start, self.ranges[node.rpar[-1]].end)
        return self.ranges[node]

    def inner_parens(self, node: cst.CSTNode) -> CodeRange:
        """Where a tuple or generator expression is: with the parentheses that make it."""
        lpar = getattr(node, "lpar", None)
        if lpar:
            return CodeRange(self.ranges[lpar[-1]].start, self.ranges[node.rpar[0]].end)
        return self.ranges[node]

    def offset(self, where: CodePosition) -> int:
        return self.line_starts[where.line - 1] + where.column

    def position(self, offset: int) -> CodePosition:
        line = bisect_right(self.line_starts, offset)
        return CodePosition(line, offset - self.line_starts[line - 1])

    def next_token(self, offset: int) -> int:
        """Where the first token at or after ``offset`` starts (past blanks and comments)."""
        return SPACE.match(self.text, offset).end()  # type: ignore[union-attr]

    def span(self, where: CodeRange) -> tuple[int, int]:
        return self.offset(where.start), self.offset(where.end)

    # -- old syntax ------------------------------------------------------------------------

    def edit(self, where: CodeRange | tuple[int, int], parts: list[Part]) -> None:
        start, end = where if isinstance(where, tuple) else self.span(where)
        self.edits.append((start, end, parts))

    def old_syntax(self) -> str:
        """The module's text with every edit applied (edits nest, never overlap partly)."""
        self.edits.sort(key=lambda edit: (edit[0], -edit[1]))
        self.starts = [edit[0] for edit in self.edits]
        return self.render(0, len(self.text), 0)

    def render(self, start: int, end: int, first: int) -> str:
        """The text from ``start`` to ``end`` with the edits from the ``first`` on applied
        (an edit's own parts are rendered with the edits after it, the ones nested in it)."""
        out, position = [], start
        index = max(bisect_left(self.starts, start), first)
        while index < len(self.edits) and self.starts[index] < end:
            low, high, parts = self.edits[index]
            index += 1
            if low < position:  # inside an edit already spelt
                continue
            out.append(self.text[position:low])
            out.extend(p if isinstance(p, str) else self.render(*p, index) for p in parts)
            position = high
        out.append(self.text[position:end])
        return "".join(out)

    # -- statements ------------------------------------------------------------------------

    def statements(self, body: Any) -> list[ast.stmt]:
        result: list[ast.stmt] = []
        for statement in body:
            if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                result.extend(self.statement(small) for small in statement.body)
            else:
                result.append(self.statement(statement))
        return result

    def block(self, node: Any) -> list[ast.stmt]:
        """The statements of an indented block, a one-line suite or an ``else``-like clause."""
        if node is None:
            return []
        if isinstance(node, (cst.Else, cst.Finally)):
            node = node.body
        if isinstance(node, cst.SimpleStatementSuite):
            return [self.statement(small) for small in node.body]
        return self.statements(node.body)

    def statement(self, node: Any) -> ast.stmt:
        method = getattr(self, "stmt_" + type(node).__name__, None)
        if method is None:
            raise Rejected(f"unsupported statement {type(node).__name__}")
        result = self.at(method(node), node)
        if isinstance(node, cst.BaseCompoundStatement):
            self.end_at(result, self.block_end(node))
        return result

    def end_at(self, node: Any, end: CodePosition) -> None:
        node.end_lineno = end.line
        node.end_col_offset = self.column(end.line, end.column)

    def block_end(self, node: Any) -> CodePosition:
        """Where CPython ends a compound statement (or ``except`` clause): after its last
        statement, and after the semicolon that may follow it."""
        while True:
            if isinstance(node, cst.If) and isinstance(node.orelse, cst.If):
                node = node.orelse
                continue
            if isinstance(node, cst.Match):
                suite = node.cases[-1].body
            else:
                last = [getattr(node, name, None) for name in ("body", "handlers", "orelse")]
                last.append(getattr(node, "finalbody", None))
                clause = [c for c in last if c][-1]
                suite = clause[-1].body if isinstance(clause, tuple | list) else clause
                suite = suite.body if isinstance(suite, cst.Else | cst.Finally) else suite
            if isinstance(suite, cst.SimpleStatementSuite):
                small = suite.body[-1]
                break
            statement = suite.body[-1]
            if isinstance(statement, cst.SimpleStatementLine):
                small = statement.body[-1]
                break
            node = statement
        if isinstance(small.semicolon, cst.Semicolon):
            return self.ranges[small.semicolon].end
        return self.ranges[small].end

    def stmt_Expr(self, node: cst.Expr) -> ast.stmt:
        return ast.Expr(value=self.expr(node.value))

    def stmt_Assign(self, node: cst.Assign) -> ast.stmt:
        targets = [self.expr(target.target, STORE) for target in node.targets]
        return ast.Assign(targets=targets, value=self.expr(node.value), type_comment=None)

    def stmt_AnnAssign(self, node: cst.AnnAssign) -> ast.stmt:
        target = node.target
        simple = int(isinstance(target, cst.Name) and not target.lpar)
        return ast.AnnAssign(
            target=self.expr(target, STORE),
            annotation=self.expr(node.annotation.annotation),
            value=self.optional(node.value),
            simple=simple,
        )

    def stmt_AugAssign(self, node: cst.AugAssign) -> ast.stmt:
        return ast.AugAssign(
            target=self.expr(node.target, STORE),
            op=OPERATORS[type(node.operator)](),
            value=self.expr(node.value),
        )

    def stmt_Return(self, node: cst.Return) -> ast.stmt:
        return ast.Return(value=self.optional(node.value))

    def stmt_Raise(self, node: cst.Raise) -> ast.stmt:
        cause = node.cause.item if node.cause is not None else None
        return ast.Raise(exc=self.optional(node.exc), cause=self.optional(cause))

    def stmt_Assert(self, node: cst.Assert) -> ast.stmt:
        return ast.Assert(test=self.expr(node.test), msg=self.optional(node.msg))

    def stmt_Del(self, node: cst.Del) -> ast.stmt:
        target = node.target
        if isinstance(target, cst.Tuple) and not target.lpar:  # del a, b
            return ast.Delete(targets=[self.expr(e.value, DEL) for e in target.elements])
        return ast.Delete(targets=[self.expr(target, DEL)])

    def stmt_Pass(self, node: cst.Pass) -> ast.stmt:
        return ast.Pass()

    def stmt_Break(self, node: cst.Break) -> ast.stmt:
        return ast.Break()

    def stmt_Continue(self, node: cst.Continue) -> ast.stmt:
        return ast.Continue()

    def stmt_Global(self, node: cst.Global) -> ast.stmt:
        return ast.Global(names=[identifier(item.name) for item in node.names])

    def stmt_Nonlocal(self, node: cst.Nonlocal) -> ast.stmt:
        return ast.Nonlocal(names=[identifier(item.name) for item in node.names])

    def stmt_Import(self, node: cst.Import) -> ast.stmt:
        return ast.Import(names=[self.alias(alias) for alias in node.names])

    def stmt_ImportFrom(self, node: cst.ImportFrom) -> ast.stmt:
        if isinstance(node.names, cst.ImportStar):
            names = [self.at(ast.alias(name="*", asname=None), node.names)]
        else:
            names = [self.alias(alias) for alias in node.names]
        module = dotted(node.module) if node.module is not None else None
        return ast.ImportFrom(module=module, names=names, level=len(node.relative))

    def alias(self, node: cst.ImportAlias) -> ast.alias:
        asname = identifier(node.asname.name) if node.asname is not None else None  # type: ignore[union-attr,arg-type]
        return self.at(ast.alias(name=dotted(node.name), asname=asname), node)

    def stmt_TypeAlias(self, node: cst.TypeAlias) -> ast.stmt:
        params, hoisted = self.type_params(node.type_parameters)
        value = node.value
        name, value_span = self.span(self.ranges[node.name]), self.span(self.outer(value))
        self.edit(self.ranges[node], [name, " = (", *hoisted, "(", value_span, "),)"])
        return TypeAlias(
            name=self.at(ast.Name(id=identifier(node.name), ctx=STORE), node.name),
            type_params=params,
            value=self.expr(value),
        )

    def stmt_FunctionDef(self, node: cst.FunctionDef) -> ast.stmt:
        decorators = [self.expr(d.decorator) for d in node.decorators]
        params = self.owner_type_params(node)
        kind = ast.AsyncFunctionDef if node.asynchronous is not None else ast.FunctionDef
        fields = {"type_params": params} if TYPE_PARAMS else {}
        returns = node.returns.annotation if node.returns is not None else None
        return kind(
            name=identifier(node.name),
            args=self.parameters(node.params),
            body=self.block(node.body),
            decorator_list=decorators,
            returns=self.optional(returns),
            type_comment=None,
            **fields,
        )

    def stmt_ClassDef(self, node: cst.ClassDef) -> ast.stmt:
        decorators = [self.expr(d.decorator) for d in node.decorators]
        params = self.owner_type_params(node)
        bases, keywords = self.arguments([*node.bases, *node.keywords])
        fields = {"type_params": params} if TYPE_PARAMS else {}
        return ast.ClassDef(
            name=identifier(node.name),
            bases=bases,
            keywords=keywords,
            body=self.block(node.body),
            decorator_list=decorators,
            **fields,
        )

    def type_params(self, node: cst.TypeParameters | None) -> tuple[list, list[Part]]:
        """The ``ast`` type parameters (none before 3.12), and in old syntax the expressions
        they hold (bounds, defaults), each in parentheses, so that they are still checked."""
        if node is None:
            return [], []
        params, hoisted = [], []
        for param in node.params:
            inner = param.param
            bound = inner.bound if isinstance(inner, cst.TypeVar) else None
            if bound is not None:
                hoisted += ["(", self.span(self.outer(bound)), "), "]
            if param.default is not None:
                star = "*" if param.star else ""
                hoisted += [star, "(", self.span(self.outer(param.default)), "), "]
            if TYPE_PARAMS:
                params.append(self.type_param(param))
        return params, hoisted

    def owner_type_params(self, node: cst.FunctionDef | cst.ClassDef) -> list:
        """The type parameters of a ``def`` or ``class``: in old syntax, gone, and the
        expressions they hold in a decorator (``@((bound), (default), )``)."""
        params, hoisted = self.type_params(node.type_parameters)
        if node.type_parameters is not None:
            self.edit(self.ranges[node.type_parameters], [])
        if hoisted:
            where = self.ranges[node].start
            start = self.offset(where)
            indent = self.text[self.line_starts[where.line - 1] : start]
            self.edit((start, start), ["@(", *hoisted, ")\n", indent])
        return params

    def type_param(self, node: cst.TypeParam) -> ast.AST:
        inner = node.param
        fields: dict[str, Any] = {}
        if TYPE_DEFAULTS:
            default = None
            if node.default is not None:
                default = self.expr(node.default)
                if node.star:
                    default = self.place(
                        ast.Starred(value=default, ctx=LOAD), self.star_range(node)
                    )
            fields["default_value"] = default
        label = identifier(inner.name)
        bound = inner.bound if isinstance(inner, cst.TypeVar) else None
        if isinstance(inner, cst.TypeVar):
            result = ast.TypeVar(name=label, bound=self.optional(bound), **fields)
        elif isinstance(inner, cst.TypeVarTuple):
            result = ast.TypeVarTuple(name=label, **fields)
        else:
            result = ast.ParamSpec(name=label, **fields)
        last = node.default or bound or inner.name  # libcst's range takes the comma after it
        return self.place(result, CodeRange(self.ranges[node].start, self.outer(last).end))

    def star_range(self, node: cst.TypeParam) -> CodeRange:
        """Where ``*default`` is in ``*Ts = *default``."""
        star = self.next_token(self.offset(self.ranges[node.equal].end))
        return CodeRange(self.position(star), self.ranges[node.default].end)

    def stmt_If(self, node: cst.If) -> ast.stmt:
        orelse = node.orelse
        other = [self.statement(orelse)] if isinstance(orelse, cst.If) else self.block(orelse)
        return ast.If(test=self.expr(node.test), body=self.block(node.body), orelse=other)

    def stmt_While(self, node: cst.While) -> ast.stmt:
        return ast.While(
            test=self.expr(node.test), body=self.block(node.body), orelse=self.block(node.orelse)
        )

    def stmt_For(self, node: cst.For) -> ast.stmt:
        kind = ast.AsyncFor if node.asynchronous is not None else ast.For
        return kind(
            target=self.expr(node.target, STORE),
            iter=self.expr(node.iter),
            body=self.block(node.body),
            orelse=self.block(node.orelse),
            type_comment=None,
        )

    def stmt_With(self, node: cst.With) -> ast.stmt:
        kind = ast.AsyncWith if node.asynchronous is not None else ast.With
        items = [
            ast.withitem(
                context_expr=self.expr(item.item),
                optional_vars=self.expr(item.asname.name, STORE) if item.asname else None,
            )
            for item in node.items
        ]
        return kind(items=items, body=self.block(node.body), type_comment=None)

    def stmt_Try(self, node: cst.Try) -> ast.stmt:
        return ast.Try(
            body=self.block(node.body),
            handlers=[self.handler(h) for h in node.handlers],
            orelse=self.block(node.orelse),
            finalbody=self.block(node.finalbody),
        )

    def stmt_TryStar(self, node: cst.TryStar) -> ast.stmt:
        kind = ast.TryStar if STARS else ast.Try
        return kind(
            body=self.block(node.body),
            handlers=[self.handler(h) for h in node.handlers],
            orelse=self.block(node.orelse),
            finalbody=self.block(node.finalbody),
        )

    def handler(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> ast.excepthandler:
        kind = node.type
        if isinstance(kind, cst.Tuple) and not kind.lpar:  # except A, B: (PEP 758)
            self.edit(self.ranges[kind], ["(", self.span(self.ranges[kind]), ")"])
        if isinstance(node, cst.ExceptStarHandler) and not STARS:
            star = self.next_token(self.offset(self.ranges[node].start) + len("except"))
            self.edit((star, star + 1), [" "])
        label = node.name.name if node.name is not None else None
        handler = ast.ExceptHandler(
            type=self.optional(kind),
            name=identifier(label) if label is not None else None,  # type: ignore[arg-type]
            body=self.block(node.body),
        )
        self.at(handler, node)
        self.end_at(handler, self.block_end(node))
        return handler

    def stmt_Match(self, node: cst.Match) -> ast.stmt:
        cases = [
            ast.match_case(
                pattern=self.pattern(case.pattern),
                guard=self.optional(case.guard),
                body=self.block(case.body),
            )
            for case in node.cases
        ]
        return ast.Match(subject=self.expr(node.subject), cases=cases)

    # -- patterns --------------------------------------------------------------------------

    def pattern(self, node: Any) -> ast.pattern:
        if isinstance(node, (cst.MatchValue, cst.MatchSingleton)):  # placed without parentheses
            value = node.value
            if isinstance(value, cst.Name) and value.value in KEYWORD_CONSTANTS:
                result: ast.pattern = ast.MatchSingleton(value=KEYWORD_CONSTANTS[value.value])
            else:
                result = ast.MatchValue(value=self.expr(value))
            return self.at(result, value)
        if isinstance(node, (cst.MatchList, cst.MatchTuple)):
            items = [
                self.match_star(p) if isinstance(p, cst.MatchStar) else self.pattern(p.value)
                for p in node.patterns
            ]
            return self.place(ast.MatchSequence(patterns=items), self.inner_parens(node))
        elif isinstance(node, cst.MatchMapping):
            result = ast.MatchMapping(
                keys=[self.expr(e.key) for e in node.elements],
                patterns=[self.pattern(e.pattern) for e in node.elements],
                rest=identifier(node.rest) if node.rest is not None else None,
            )
        elif isinstance(node, cst.MatchClass):
            result = ast.MatchClass(
                cls=self.expr(node.cls),
                patterns=[self.pattern(p.value) for p in node.patterns],
                kwd_attrs=[identifier(k.key) for k in node.kwds],
                kwd_patterns=[self.pattern(k.pattern) for k in node.kwds],
            )
        elif isinstance(node, cst.MatchAs):
            pattern = self.pattern(node.pattern) if node.pattern is not None else None
            result = ast.MatchAs(pattern=pattern, name=capture(node.name))
        elif isinstance(node, cst.MatchOr):
            result = ast.MatchOr(patterns=[self.pattern(p.pattern) for p in node.patterns])
        else:
            raise Rejected(f"unsupported pattern {type(node).__name__}")
        return self.at(result, node)

    def match_star(self, node: cst.MatchStar) -> ast.pattern:
        """``*rest`` or ``*_`` in a sequence pattern (libcst's range takes the comma after it)."""
        start = self.ranges[node].start
        if node.name is not None:
            end = self.ranges[node.name].end
        else:
            end = self.position(self.next_token(self.offset(start) + 1) + 1)
        return self.place(ast.MatchStar(name=capture(node.name)), CodeRange(start, end))

    # -- parameters and arguments ------------------------------------------------------------

    def parameters(self, node: cst.Parameters) -> ast.arguments:
        positional = [*node.posonly_params, *node.params]
        star = node.star_arg
        return ast.arguments(
            posonlyargs=[self.arg(p) for p in node.posonly_params],
            args=[self.arg(p) for p in node.params],
            vararg=self.arg(star) if isinstance(star, cst.Param) else None,
            kwonlyargs=[self.arg(p) for p in node.kwonly_params],
            kw_defaults=[self.optional(p.default) for p in node.kwonly_params],
            kwarg=self.arg(node.star_kwarg) if node.star_kwarg is not None else None,
            defaults=[self.expr(p.default) for p in positional if p.default is not None],
        )

    def arg(self, node: cst.Param) -> ast.arg:
        name = self.ranges[node.name]
        annotation = None
        end = name.end
        if node.annotation is not None:
            value = node.annotation.annotation
            if isinstance(value, cst.StarredElement) and not STARS:  # *args: *Ts (PEP 646)
                start = self.offset(self.ranges[value].start)
                self.edit((start, start + 1), [" "])
            annotation = self.expr(value)
            end = self.outer(value).end
        result = ast.arg(arg=identifier(node.name), annotation=annotation, type_comment=None)
        return self.place(result, CodeRange(name.start, end))

    def arguments(self, args: Any) -> tuple[list[ast.expr], list[ast.keyword]]:
        """The positional and keyword arguments of a call or class."""
        positional: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for arg in args:
            if arg.keyword is not None:
                value = ast.keyword(arg=identifier(arg.keyword), value=self.expr(arg.value))
                keywords.append(self.at(value, arg))
            elif arg.star == "**":
                keywords.append(self.at(ast.keyword(arg=None, value=self.expr(arg.value)), arg))
            elif arg.star == "*":
                positional.append(self.at(ast.Starred(value=self.expr(arg.value), ctx=LOAD), arg))
            else:
                positional.append(self.expr(arg.value))
        return positional, keywords

    # -- expressions -----------------------------------------------------------------------

    def optional(self, node: Any) -> ast.expr | None:
        return None if node is None else self.expr(node)

    def expr(self, node: Any, ctx: ast.expr_context = LOAD) -> ast.expr:
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise Rejected(f"unsupported expression {type(node).__name__}")
        result = method(node, ctx)
        if not hasattr(result, "lineno"):
            self.at(result, node)
        return result

    def expr_Name(self, node: cst.Name, ctx: ast.expr_context) -> ast.expr:
        if node.value in KEYWORD_CONSTANTS:
            return ast.Constant(value=KEYWORD_CONSTANTS[node.value], kind=None)
        return ast.Name(id=identifier(node), ctx=ctx)

    def expr_Attribute(self, node: cst.Attribute, ctx: ast.expr_context) -> ast.expr:
        return ast.Attribute(value=self.expr(node.value), attr=identifier(node.attr), ctx=ctx)

    def expr_Subscript(self, node: cst.Subscript, ctx: ast.expr_context) -> ast.expr:
        elements = node.slice
        first = elements[0]
        starred = isinstance(first.slice, cst.Index) and first.slice.star is not None
        if len(elements) == 1 and first.comma is cst.MaybeSentinel.DEFAULT and not starred:
            index = self.slice(first.slice)
        else:
            items = [self.slice(e.slice) for e in elements]
            last = elements[-1]
            end = last.comma if isinstance(last.comma, cst.Comma) else last
            where = CodeRange(self.ranges[first].start, self.ranges[end].end)
            index = self.place(ast.Tuple(elts=items, ctx=LOAD), where)
        return ast.Subscript(value=self.expr(node.value), slice=index, ctx=ctx)

    def slice(self, node: cst.Index | cst.Slice) -> ast.expr:
        if isinstance(node, cst.Slice):
            result = ast.Slice(
                lower=self.optional(node.lower),
                upper=self.optional(node.upper),
                step=self.optional(node.step),
            )
            return self.at(result, node)
        if node.star is not None:  # x[*a] (PEP 646)
            if not STARS:
                start = self.offset(self.ranges[node].start)
                self.edit((start, start + 1), [" "])
            return self.at(ast.Starred(value=self.expr(node.value), ctx=LOAD), node)
        return self.expr(node.value)

    def expr_Call(self, node: cst.Call, ctx: ast.expr_context) -> ast.expr:
        args, keywords = self.arguments(node.args)
        only = node.args[0].value if len(node.args) == 1 else None
        if isinstance(only, cst.GeneratorExp) and not only.lpar:  # f(x for x in y)
            opening = self.next_token(self.offset(self.outer(node.func).end))
            self.place(args[0], CodeRange(self.position(opening), self.ranges[node].end))
        return ast.Call(func=self.expr(node.func), args=args, keywords=keywords)

    def expr_Integer(self, node: cst.Integer, ctx: ast.expr_context) -> ast.expr:
        return ast.Constant(value=literal(node.value), kind=None)

    expr_Float = expr_Imaginary = expr_Integer

    def expr_Ellipsis(self, node: cst.Ellipsis, ctx: ast.expr_context) -> ast.expr:
        return ast.Constant(value=..., kind=None)

    def expr_SimpleString(self, node: cst.SimpleString, ctx: ast.expr_context) -> ast.expr:
        return ast.Constant(value=literal(node.value), kind="u" if node.value[0] in "uU" else None)

    def expr_FormattedString(self, node: Any, ctx: ast.expr_context) -> ast.expr:
        return self.expr_ConcatenatedString(node, ctx)

    expr_TemplatedString = expr_FormattedString

    def expr_ConcatenatedString(self, node: Any, ctx: ast.expr_context) -> ast.expr:
        """Adjacent strings as one ``Constant``, or one ``JoinedStr`` if one of them is an
        f-string or a t-string (3.14 mixes t-strings with no other kind)."""
        parts = []
        while isinstance(node, cst.ConcatenatedString):
            parts.append(node.left)
            node = node.right
        parts.append(node)
        kinds = {string_kind(part) for part in parts}
        if len(kinds) > 1 and ("b" in kinds or "t" in kinds):
            raise Rejected("cannot mix bytes, str and t-string literals")
        if kinds <= {"b", "s"}:
            value = "".join if "s" in kinds else b"".join
            kind = "u" if parts[0].value[0] in "uU" else None
            return ast.Constant(value=value(literal(p.value) for p in parts), kind=kind)
        values: list[ast.expr] = []
        fields: list[Part] = []
        for part in parts:
            if isinstance(part, cst.SimpleString):
                self.join(values, literal(part.value), part)
            else:
                raw = "r" in part.prefix.lower()
                self.fstring_parts(values, part.parts, raw, part, fields)
        if not NEW_FSTRINGS or "t" in kinds:  # this Python reads them as a tuple of fields
            start = self.ranges[parts[0]].start
            self.edit(CodeRange(start, self.ranges[parts[-1]].end), ["(", *fields, ")"])
        return ast.JoinedStr(values=values)

    def join(self, values: list[ast.expr], text: str, where: cst.CSTNode) -> None:
        """Add literal text to a ``JoinedStr``'s values, merged with text before it."""
        if not text:
            return
        if values and isinstance(values[-1], ast.Constant):
            values[-1].value += text
        else:
            values.append(self.at(ast.Constant(value=text, kind=None), where))

    def fstring_parts(
        self, values: list[ast.expr], parts: Any, raw: bool, string: Any, fields: list[Part]
    ) -> None:
        """Convert the text and replacement fields of an f-string or t-string (or of a format
        specification), noting each field's expression for the old spelling."""
        for part in parts:
            if isinstance(part, (cst.FormattedStringText, cst.TemplatedStringText)):
                self.join(values, decode(part.value, raw), string)
                continue
            expression = part.expression
            where = self.outer(expression)
            if isinstance(expression, (cst.Yield, cst.Tuple)) and not expression.lpar:
                fields += ["(", self.span(where), "), "]  # f"{yield}", f"{a, b}"
            else:
                fields += [self.span(where), ", "]
            conversion = part.conversion
            if part.equal is not None:
                start = self.offset(self.ranges[part].start) + 1
                end = self.offset(self.ranges[part.equal].end)
                while self.text[end] in " \t\f\r\n":
                    end += 1
                self.join(values, self.text[start:end], string)
                if conversion is None and part.format_spec is None:
                    conversion = "r"
            spec = None
            if part.format_spec is not None:
                if self.spec_depth >= MAX_SPEC_NESTING:
                    raise Rejected("f-string: expressions nested too deeply")
                self.spec_depth += 1
                spec_values: list[ast.expr] = []
                self.fstring_parts(spec_values, part.format_spec, raw, part, fields)
                self.spec_depth -= 1
                spec = self.at(ast.JoinedStr(values=spec_values), part)
            if conversion not in CONVERSIONS:
                raise Rejected(f"f-string: invalid conversion character {conversion!r}")
            value = ast.FormattedValue(
                value=self.expr(expression), conversion=CONVERSIONS[conversion], format_spec=spec
            )
            values.append(self.at(value, part))

    def expr_BinaryOperation(self, node: cst.BinaryOperation, ctx: ast.expr_context) -> ast.expr:
        return ast.BinOp(
            left=self.expr(node.left),
            op=OPERATORS[type(node.operator)](),
            right=self.expr(node.right),
        )

    def expr_BooleanOperation(self, node: cst.BooleanOperation, ctx: ast.expr_context) -> ast.expr:
        """``a or b or c`` is one ``BoolOp`` of three values; ``(a or b) or c`` is two."""
        operator = type(node.operator)
        operands = [node.right]
        left = node.left
        while (
            isinstance(left, cst.BooleanOperation)
            and type(left.operator) is operator
            and not left.lpar
        ):
            operands.append(left.right)
            left = left.left
        operands.append(left)
        values = [self.expr(operand) for operand in reversed(operands)]
        return ast.BoolOp(op=OPERATORS[operator](), values=values)

    def expr_Comparison(self, node: cst.Comparison, ctx: ast.expr_context) -> ast.expr:
        return ast.Compare(
            left=self.expr(node.left),
            ops=[OPERATORS[type(c.operator)]() for c in node.comparisons],
            comparators=[self.expr(c.comparator) for c in node.comparisons],
        )

    def expr_UnaryOperation(self, node: cst.UnaryOperation, ctx: ast.expr_context) -> ast.expr:
        return ast.UnaryOp(op=OPERATORS[type(node.operator)](), operand=self.expr(node.expression))

    def expr_IfExp(self, node: cst.IfExp, ctx: ast.expr_context) -> ast.expr:
        return ast.IfExp(
            test=self.expr(node.test), body=self.expr(node.body), orelse=self.expr(node.orelse)
        )

    def expr_Lambda(self, node: cst.Lambda, ctx: ast.expr_context) -> ast.expr:
        return ast.Lambda(args=self.parameters(node.params), body=self.expr(node.body))

    def expr_Await(self, node: cst.Await, ctx: ast.expr_context) -> ast.expr:
        return ast.Await(value=self.expr(node.expression))

    def expr_Yield(self, node: cst.Yield, ctx: ast.expr_context) -> ast.expr:
        value = node.value
        if isinstance(value, cst.From):
            return ast.YieldFrom(value=self.expr(value.item))
        return ast.Yield(value=self.optional(value))

    def expr_NamedExpr(self, node: cst.NamedExpr, ctx: ast.expr_context) -> ast.expr:
        return ast.NamedExpr(target=self.expr(node.target, STORE), value=self.expr(node.value))

    def expr_StarredElement(self, node: cst.StarredElement, ctx: ast.expr_context) -> ast.expr:
        return ast.Starred(value=self.expr(node.value, ctx), ctx=ctx)

    def elements(self, node: Any, ctx: ast.expr_context) -> list[ast.expr]:
        return [
            self.expr(e if isinstance(e, cst.StarredElement) else e.value, ctx)
            for e in node.elements
        ]

    def expr_Tuple(self, node: cst.Tuple, ctx: ast.expr_context) -> ast.expr:
        result = ast.Tuple(elts=self.elements(node, ctx), ctx=ctx)
        return self.place(result, self.inner_parens(node))

    def expr_List(self, node: cst.List, ctx: ast.expr_context) -> ast.expr:
        return ast.List(elts=self.elements(node, ctx), ctx=ctx)

    def expr_Set(self, node: cst.Set, ctx: ast.expr_context) -> ast.expr:
        return ast.Set(elts=self.elements(node, ctx))

    def expr_Dict(self, node: cst.Dict, ctx: ast.expr_context) -> ast.expr:
        keys: list[ast.expr | None] = []
        values = []
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                keys.append(None)
            else:
                keys.append(self.expr(element.key))
            values.append(self.expr(element.value))
        return ast.Dict(keys=keys, values=values)

    def generators(self, node: cst.CompFor) -> list[ast.comprehension]:
        result = []
        current: cst.CompFor | None = node
        while current is not None:
            result.append(
                ast.comprehension(
                    target=self.expr(current.target, STORE),
                    iter=self.expr(current.iter),
                    ifs=[self.expr(condition.test) for condition in current.ifs],
                    is_async=int(current.asynchronous is not None),
                )
            )
            current = current.inner_for_in
        return result

    def expr_ListComp(self, node: cst.ListComp, ctx: ast.expr_context) -> ast.expr:
        return ast.ListComp(elt=self.expr(node.elt), generators=self.generators(node.for_in))

    def expr_SetComp(self, node: cst.SetComp, ctx: ast.expr_context) -> ast.expr:
        return ast.SetComp(elt=self.expr(node.elt), generators=self.generators(node.for_in))

    def expr_GeneratorExp(self, node: cst.GeneratorExp, ctx: ast.expr_context) -> ast.expr:
        result = ast.GeneratorExp(elt=self.expr(node.elt), generators=self.generators(node.for_in))
        return self.place(result, self.inner_parens(node))

    def expr_DictComp(self, node: cst.DictComp, ctx: ast.expr_context) -> ast.expr:
        return ast.DictComp(
            key=self.expr(node.key),
            value=self.expr(node.value),
            generators=self.generators(node.for_in),
        )


def dotted(node: Any) -> str:
    """``a.b.c`` from a ``Name`` or ``Attribute`` chain."""
    names = []
    while isinstance(node, cst.Attribute):
        names.append(identifier(node.attr))
        node = node.value
    names.append(identifier(node))
    return ".".join(reversed(names))


def identifier(node: cst.Name) -> str:
    """An identifier as CPython reads it: NFKC-normalised (PEP 3131)."""
    text = node.value
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def capture(node: cst.Name | None) -> str | None:
    """A pattern's capture name; ``_`` captures nothing."""
    if node is None or node.value == "_":
        return None
    return identifier(node)


def string_kind(node: Any) -> str:
    """``b`` (bytes), ``s`` (str), ``f`` (f-string) or ``t`` (t-string)."""
    if isinstance(node, cst.TemplatedString):
        return "t"
    if isinstance(node, cst.FormattedString):
        return "f"
    prefix = node.prefix.lower()
    return "b" if "b" in prefix else "s"


def decode(text: str, raw: bool) -> str:
    """The value of a text part of an f-string: escapes read (unless raw), braces undoubled."""
    if raw:
        return RAW_PART.sub(lambda m: m.group()[0], text)

    def one(match: re.Match[str]) -> str:
        piece = match.group()
        if piece in ("{{", "}}"):
            return piece[0]
        return literal('"' + piece + '"')

    return STRING_PART.sub(one, text)
