"""The word splitting both backends agree on: tantivy's ``default`` tokenizer, in Python.

Unicode letters and digits make words, anything else separates them; words are lower-cased and
words over 40 bytes dropped (tantivy's ``RemoveLongFilter``). The parser uses it to normalise
query words, and significant-terms counting uses it to read texts, so that what a query asks for
is what the index holds.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
MAX_TOKEN_BYTES = 40


def tokens(text: str) -> list[str]:
    """Lower-cased words of ``text`` in order, as the embedded index tokenizes them."""
    return [w for w in _WORD.findall(text.lower()) if len(w.encode()) < MAX_TOKEN_BYTES]
