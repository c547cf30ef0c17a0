"""The project model answered directly: inference and what a call runs."""

from __future__ import annotations

import ast
import textwrap

from fastapi_lint.project import Project, Value
from fastapi_lint.summarize import summarize


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
