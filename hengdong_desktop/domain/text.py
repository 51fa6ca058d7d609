"""Characters that are never data: C0 and C1 control characters (but tab, line feed and carriage
return), DEL, lone UTF-16 surrogates, and the bidirectional overrides and isolates that make a
text display in another order than it is stored. Excel import removes them; a package that
carries them is refused."""

from __future__ import annotations

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: str) -> str:
    """The text without forbidden characters."""
    return FORBIDDEN.sub("", text)


def forbidden_in(text: str) -> str | None:
    """How to name the first forbidden character of `text` (e.g. "U+202E"), or None."""
    found = FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def printable(text: str) -> str:
    """`text` safe to put in a message: each forbidden character written as its code (\\u202e)."""
    return FORBIDDEN.sub(lambda c: f"\\u{ord(c.group()):04x}", text)
