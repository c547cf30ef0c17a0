"""A finding: one problem at one place in one file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's report. Rows are 1-based; columns are 1-based and count characters."""

    code: str
    message: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    fix_hint: str = ""  # what the rule's fix needs that only the analysis knows
    # the calls that lead to the problem, as (function, file, line) from the entry point
    chain: tuple[tuple[str, str, int], ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Report order: by place, then code, then message (one place can have several)."""
        return (self.path, self.line, self.col, self.code, self.message)

    def chain_steps(self) -> list[tuple[str, int, str]]:
        """Each step of the chain as (file, line, what happens there): "`f` calls `g`", and
        "`h` blocks" for the last."""
        chain = self.chain
        return [
            (path, line, f"`{name}` calls `{chain[number + 1][0]}`")
            if number + 1 < len(chain)
            else (path, line, f"`{name}` blocks")
            for number, (name, path, line) in enumerate(chain)
        ]
