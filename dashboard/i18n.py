"""The dashboard's words in Bahasa Indonesia (default) and English.

Templates call ``t("key")``; a test checks that every key a template uses exists in both
languages, so a missing translation fails the suite instead of showing a raw key.
"""

from __future__ import annotations

from dashboard.messages import MESSAGES

LANGUAGES: tuple[str, ...] = tuple(MESSAGES)


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = MESSAGES[lang]
        self.keys = frozenset(self.words)

    def __call__(self, key: str) -> str:
        return self.words.get(key) or MESSAGES["id"].get(key, key)


_TRANSLATORS = {lang: Translator(lang) for lang in LANGUAGES}


def translator(lang: str) -> Translator:
    return _TRANSLATORS.get(lang, _TRANSLATORS["id"])
