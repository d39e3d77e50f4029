"""What was made of an object, kept by the object's identity: for the objects a folder's licences
share (a template's clauses, its rules, a due day's computation), whose equality would cost more
to test than to make again, but whose identity says "the same"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def by_identity(
    memo: dict[Any, tuple[Any, Any]],
    make: Callable[..., T],
    part: Any,
    *args: Any,
    limit: int = 4096,
) -> T:
    """`make(part, *args)`, made once for the very object `part` (and `args`, and `make`). The
    entry holds `part`, so its id is not reused by another object while the entry lives; the
    memory is emptied when it holds `limit` entries."""
    key = (make, id(part), *args)
    found = memo.get(key)
    if found is not None and found[0] is part:
        return found[1]  # type: ignore[no-any-return]
    if len(memo) >= limit:
        memo.clear()
    value = make(part, *args)
    memo[key] = (part, value)
    return value
