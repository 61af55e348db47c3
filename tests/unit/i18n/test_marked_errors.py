"""No user-facing English slips past the catalog through an error: a domain error given a
message takes it as already translated (`app/core/errors.py`), and an HTTPException's
`detail` is translated only if it is a catalog message. So every string written into either
must be a `_()`, `N_()` or `ngettext()` call, never a bare literal or an f-string."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

APP = Path(__file__).resolve().parents[3] / "app"
MARKERS = {"_", "N_", "ngettext", "pgettext", "translate", "ptranslate"}
# Classes whose arguments are not shown to a user, and why.
ALLOWED: dict[str, str] = {
    "PipelineRefused": "its `rule` is for the logs only: the user sees the generic refusal",
}


@cache
def modules() -> tuple[tuple[str, ast.Module], ...]:
    return tuple(
        (str(path.relative_to(APP)), ast.parse(path.read_text(), str(path)))
        for path in sorted(APP.rglob("*.py"))
    )


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


@cache
def domain_errors() -> frozenset[str]:
    """DomainError and every class in app/ that derives from it, however indirectly."""
    bases: dict[str, set[str]] = {}
    for _, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"DomainError"}
    while grown := {name for name, parents in bases.items() if parents & found} - found:
        found |= grown
    return frozenset(found)


def is_literal_text(node: ast.expr) -> bool:
    """A string literal or an f-string, or one joined from them: no marker around it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return is_literal_text(node.left) or is_literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return is_literal_text(node.body) or is_literal_text(node.orelse)
    return False


@cache
def unmarked_constants() -> frozenset[str]:
    """Module constants in app/ (UPPER_CASE) set to a bare literal: passing one is the same."""
    return frozenset(
        target.id
        for _, tree in modules()
        for node in tree.body
        if isinstance(node, ast.Assign) and is_literal_text(node.value)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    )


def is_unmarked_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in unmarked_constants()
    return is_literal_text(node)


def messages_given(call: ast.Call, name: str) -> Iterator[ast.expr]:
    if name == "HTTPException":
        # HTTPException(status_code, detail=None, headers=None)
        yield from call.args[1:2]
        yield from (k.value for k in call.keywords if k.arg == "detail")
    else:
        yield from call.args
        yield from (k.value for k in call.keywords)


def unmarked(errors: frozenset[str]) -> list[str]:
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = called_name(node)
            if name is None or (name not in errors and name != "HTTPException"):
                continue
            if name in ALLOWED:
                continue
            found += [
                f"{path}:{given.lineno} {name}({ast.unparse(given)[:60]})"
                for given in messages_given(node, name)
                if is_unmarked_text(given)
            ]
    return found


def test_domain_errors_and_http_details_are_given_catalog_messages() -> None:
    assert not unmarked(domain_errors())


def test_the_guard_sees_subclasses_and_literals() -> None:
    assert {"DomainError", "InvalidAttachment", "TooManyLinks", "UnknownSeason"} <= domain_errors()
    source = 'raise InvalidAttachment(f"`{name}` is empty.")\nraise NotFound(_("Gone."))\n'
    call = ast.parse(source).body[0].exc  # type: ignore[attr-defined]
    assert [is_unmarked_text(given) for given in messages_given(call, "InvalidAttachment")] == [
        True
    ]
    marked = ast.parse(source).body[1].exc  # type: ignore[attr-defined]
    assert not any(is_unmarked_text(given) for given in messages_given(marked, "NotFound"))
    assert "NOT_A_FORM" not in unmarked_constants()  # N_("This page expects an HTML form.")
    detail = ast.parse('HTTPException(400, detail="Bad form.")').body[0].value  # type: ignore[attr-defined]
    assert [is_unmarked_text(given) for given in messages_given(detail, "HTTPException")] == [True]
