"""The project model answered directly: inference and what a call runs."""

from __future__ import annotations

import ast
import marshal
import textwrap

import pytest

from fastapi_lint.loop import holds
from fastapi_lint.project import Project, Value
from fastapi_lint.summarize import summarize
from fastapi_lint.summary import NO_GUARDS, ModuleSummary


def project(**modules: str) -> Project:
    """A project of modules given as ``dotted_name=source``."""
    summaries = []
    for module, source in modules.items():
        tree = ast.parse(textwrap.dedent(source))
        summaries.append(summarize(tree, f"{module}.py", module, False, {}, {}))
    return Project(summaries)


CYCLE = """
def f(): ...
a = b
b = a
b = f
"""


def test_a_cycle_of_names_has_one_answer_whatever_is_asked_first() -> None:
    function = {Value("function", "m.f")}
    first_a = project(m=CYCLE)
    assert first_a.resolve("m.a") == function
    assert first_a.resolve("m.b") == function
    first_b = project(m=CYCLE)
    assert first_b.resolve("m.b") == function
    assert first_b.resolve("m.a") == function


def test_a_longer_cycle_through_attributes_settles() -> None:
    source = """
    class Client: ...
    class Holder:
        def __init__(self):
            self.x = self.y
            self.y = self.z
            self.z = self.x
            self.z = Client()
    h = Holder()
    """
    for order in (["x", "y", "z"], ["z", "y", "x"], ["y", "x", "z"]):
        model = project(m=source)
        for attr in order:
            values = model.resolve(f"m.h.{attr}")
            assert {v.name for v in values} == {"m.Client"}, (order, attr)


def callees_of(model: Project, module: str, function: str) -> list[tuple[str, str]]:
    """What each call in a function runs, as (callee, how), in call order."""
    calls = model.functions[f"{module}.{function}"].calls
    return [(c.function, c.how) for call, _ in calls for c in model.callees(call[1])]


def test_what_a_call_runs_is_decided_in_one_place() -> None:
    model = project(
        m="""
        class Guard:
            def __init__(self): ...
            async def __call__(self, request): ...
        def helper(): ...
        async def route(request):
            helper()
            guard = Guard()
            await guard(request)
        """
    )
    assert callees_of(model, "m", "route") == [
        ("m.helper", "direct"),
        ("m.Guard.__init__", "__init__"),
        ("m.Guard.__call__", "__call__"),
    ]


DISPATCH = """
from abc import ABC, abstractmethod
class Repo(ABC):
    @abstractmethod
    def get(self): ...
class SqlRepo(Repo):
    def get(self): ...
class MemoryRepo(Repo):
    def get(self): ...
class Base:
    def step(self): ...
class Leaf(Base):
    def step(self): ...
def typed(repo: Repo):
    repo.get()
def exact():
    Base().step()
def build():
    return SqlRepo()
"""


def test_a_call_on_a_typed_receiver_reaches_the_overrides_the_project_instantiates() -> None:
    model = project(m=DISPATCH)
    assert callees_of(model, "m", "typed") == [
        ("m.Repo.get", "direct"),
        ("m.SqlRepo.get", "direct"),
    ]


def test_without_an_instantiated_implementation_every_override_is_reached() -> None:
    model = project(m=DISPATCH.replace("return SqlRepo()", "return None"))
    assert sorted(callees_of(model, "m", "typed")) == [
        ("m.MemoryRepo.get", "direct"),
        ("m.Repo.get", "direct"),
        ("m.SqlRepo.get", "direct"),
    ]


def test_an_instance_built_by_its_class_does_not_dispatch() -> None:
    model = project(m=DISPATCH)
    assert callees_of(model, "m", "exact") == [
        ("m.Base.step", "direct"),
    ]


def test_a_property_read_gives_what_its_getter_returns() -> None:
    model = project(
        m="""
        class Client: ...
        class Holder:
            @property
            def client(self) -> Client: ...
            @client.setter
            def client(self, value) -> None: ...
        holder = Holder()
        """
    )
    assert model.resolve("m.holder.client") == {Value("instance", "m.Client")}
    assert "m.Holder.client.setter" in model.functions


def test_an_inherited_third_party_method_reaches_the_hooks_of_the_subclass() -> None:
    model = project(
        m="""
        from authlib.oauth2 import AuthorizationServer
        class Server(AuthorizationServer):
            def save_token(self, token): ...
            def helper(self): ...
            def _private(self): ...
        def issue(server: Server):
            server.helper()
            server.create_token_response()
        """
    )
    assert callees_of(model, "m", "issue") == [
        ("m.Server.helper", "direct"),
        ("m.Server.save_token", "hook"),
    ]


def test_calling_a_class_runs_its_own_init_not_those_of_its_subclasses() -> None:
    model = project(
        m="""
        class Base:
            def __init__(self): ...
        class Child(Base):
            def __init__(self): ...
        def build():
            Child()
            return Base()
        """
    )
    assert callees_of(model, "m", "build") == [
        ("m.Child.__init__", "__init__"),
        ("m.Base.__init__", "__init__"),
    ]


def plugins(count: int) -> str:
    """A base class with ``count`` implementations, each instantiated, and a typed call."""
    classes = "".join(f"class Impl{n}(Base):\n    def run(self): ...\n" for n in range(count))
    made = "".join(f"    Impl{n}()\n" for n in range(count))
    return (
        f"class Base:\n    def run(self): ...\n{classes}"
        f"def register():\n{made}"
        "def use(plugin: Base):\n    plugin.run()\n"
    )


def test_a_call_dispatches_to_at_most_sixteen_implementations() -> None:
    assert len(callees_of(project(m=plugins(16)), "m", "use")) == 17
    assert callees_of(project(m=plugins(17)), "m", "use") == [("m.Base.run", "direct")]


@pytest.mark.parametrize(
    ("test", "value", "operand", "expected"),
    [
        ("none", None, None, True),
        ("none", "x", None, False),
        ("some", None, None, False),
        ("true", "", None, False),
        ("false", "", None, True),
        ("true", "x", None, True),
        ("eq", "local", "local", True),
        ("ne", "eu", "local", True),
        ("eq", "eu", "local", False),
        ("prefix", "oidc/x", ("oidc/",), True),
        ("prefix", "API_KEY", ("oidc/", "vault/"), False),
        ("noprefix", "API_KEY", ("oidc/",), True),
        ("prefix", 3, ("oidc/",), True),  # not a string: nothing is known
    ],
)
def test_a_condition_holds_of_a_constant_as_python_would_decide(test, value, operand, expected):
    assert holds(test, value, operand) is expected


GUARDED = """
def helper(path, cache=None):
    if cache is None:
        open(path)
    return path

def plain():
    return helper("x")
"""


def test_a_decoded_summary_keeps_its_facts_in_compact_containers() -> None:
    tree = ast.parse(textwrap.dedent(GUARDED))
    summary = summarize(tree, "m.py", "m", False, {}, {})
    decoded = ModuleSummary.from_data(marshal.loads(marshal.dumps(summary.to_data())))
    helper, plain = decoded.functions["m.helper"], decoded.functions["m.plain"]
    assert helper.guarded == summary.functions["m.helper"].guarded != {}
    assert plain.guarded is NO_GUARDS  # one shared mapping for every function without guards
    for field in ("params", "decorators", "calls", "returns", "yields"):
        assert type(getattr(helper, field)) is tuple
        assert getattr(helper, field) == tuple(getattr(summary.functions["m.helper"], field))
    assert all(type(values) is tuple for values in decoded.bindings.values())


def test_a_module_summarised_twice_adds_up_its_bindings() -> None:
    first = summarize(ast.parse("x = 1\n"), "a/m.py", "m", False, {}, {})
    second = summarize(ast.parse("x = f\ny = 2\ndef f(): ...\n"), "b/m.py", "m", False, {}, {})
    merged = Project([first, second])  # one module given under two roots
    assert len(merged.bindings["m.x"]) == 2 and len(merged.bindings["m.y"]) == 1
    assert merged.resolve("m.x") == {Value("function", "m.f")}
