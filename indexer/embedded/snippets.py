"""tantivy snippets as the Store's :class:`Snippet` (character offsets, not UTF-8 byte offsets)."""

from __future__ import annotations

from indexer.store import Snippet

FALLBACK_CHARS = 240


def snippet(found, text: str) -> Snippet:
    """``found`` is a tantivy Snippet; without a match (filter-only queries) the text's start."""
    fragment = found.fragment()
    if not fragment:
        return Snippet(lead(text))
    raw = fragment.encode()
    spans = tuple(
        (len(raw[:h.start].decode(errors="ignore")), len(raw[:h.end].decode(errors="ignore")))
        for h in found.highlighted()
    )
    return Snippet(fragment, spans)


def lead(text: str, limit: int = FALLBACK_CHARS) -> str:
    """The start of ``text``, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"
