"""Clean the strings of a post without changing its wording.

Removes zero-width characters and control characters (keeping line breaks and tabs), turns
non-breaking and other odd spaces into plain ones, collapses runs of spaces and of blank lines,
and strips the ends. Letters, words and punctuation are left exactly as the author wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pantau.post import Post

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
_STRING_FIELDS = ("text", "title", "author_name", "url", "site")


def clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", _ZERO_WIDTH.sub("", value))
    value = _SPACES.sub(" ", value)
    value = "\n".join(line.strip() for line in value.split("\n"))
    return _BLANK_LINES.sub("\n\n", value).strip()


class CleanPipeline:
    def process_item(self, item: Any) -> Any:
        if isinstance(item, Post):
            for name in _STRING_FIELDS:
                value = getattr(item, name)
                if isinstance(value, str):
                    setattr(item, name, clean_text(value) or (None if name in ("title", "author_name", "url") else ""))
        return item
