"""tantivy snippets as the Store's :class:`Snippet` (character offsets, not UTF-8 byte offsets)."""

from __future__ import annotations

from indexer.store import Snippet

def snippet(found, text: str) -> Snippet:
    """``found`` is a tantivy Snippet; without a match (filter-only queries) the text's start."""
    fragment = found.fragment()
    if not fragment:
        return Snippet.lead(text)
    raw = fragment.encode()
    spans = tuple(
        (len(raw[:h.start].decode(errors="ignore")), len(raw[:h.end].decode(errors="ignore")))
        for h in found.highlighted()
    )
    return Snippet(fragment, spans)
