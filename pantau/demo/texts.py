"""The written texts of the demo sample and how one text becomes many distinct posts.

The data files in ``data/`` hold texts written for the project (social posts, app reviews,
developers' replies, news parts, the two spikes' voices) with slots for places and numbers and
``[a|b|c]`` alternatives. :class:`TextBank` fills them from a seeded generator and varies the
spelling the way Central Java posts do (slang, Javanese words, dropped vowels, elongations),
so a few hundred written texts give thousands of different posts, always the same for a seed.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    weight: int
    mentions: tuple[str, ...]
    districts: tuple[str, ...]
    roads: tuple[str, ...]


@dataclass(frozen=True)
class Written:
    """One written text: its topic (or app, or spike) and kind (or star range, or news part)."""

    key: str
    label: str
    text: str


def _read_tsv(name: str, columns: int) -> list[Written]:
    rows = []
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != columns:
            raise ValueError(f"{DATA / name}:{number}: expected {columns} tab-separated columns, got {len(parts)}")
        key, label, text = (parts + [""])[:3] if columns == 3 else (parts[0], "", parts[1])
        rows.append(Written(key, label, text))
    return rows


class TextBank:
    """All written material, loaded once from ``data/``."""

    @cached_property
    def regions(self) -> list[Region]:
        raw = json.loads((DATA / "places.json").read_text(encoding="utf-8"))["regions"]
        return [Region(r["code"], r["name"], r["weight"], tuple(r["mentions"]), tuple(r["districts"]), tuple(r["roads"])) for r in raw]

    def region(self, code: str) -> Region:
        return next(r for r in self.regions if r.code == code)

    @cached_property
    def fragments(self) -> dict[str, Any]:
        return json.loads((DATA / "fragments.json").read_text(encoding="utf-8"))

    @cached_property
    def social(self) -> list[Written]:
        return _read_tsv("social.tsv", 3)

    @cached_property
    def reviews(self) -> list[Written]:
        return _read_tsv("reviews.tsv", 3)

    @cached_property
    def replies(self) -> list[Written]:
        return _read_tsv("replies.tsv", 2)

    @cached_property
    def news(self) -> list[Written]:
        return _read_tsv("news.tsv", 3)

    @cached_property
    def spikes(self) -> list[Written]:
        return _read_tsv("spikes.tsv", 2)

    def pick_region(self, rng: random.Random) -> Region:
        return rng.choices(self.regions, weights=[r.weight for r in self.regions])[0]

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(self.fragments['first_names'])} {rng.choice(self.fragments['last_names'])}"

    def fill(self, text: str, rng: random.Random, region: Region, extra: dict[str, str] | None = None) -> str:
        """Choose the alternatives and fill the slots, all places from ``region``."""
        text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        values = {
            "place": rng.choice(region.mentions),
            "kec": rng.choice(region.districts),
            "road": rng.choice(region.roads),
            "n": str(rng.randint(2, 9)),
            "days": str(rng.randint(2, 14)),
            "rp": _money(rng),
            "official": self.person(rng),
            "citizen": self.person(rng),
            "name": rng.choice(self.fragments["first_names"]),
            **(extra or {}),
        }
        return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    def social_post(self, rng: random.Random, written: Written, region: Region, slang: float,
                    more: Written | None = None, terse: float = 0.12) -> str:
        """A social post: an opener, the filled text (and ``more``, a second thought about the same
        place), a closer, then spelling varied by ``slang``."""
        body = self.fill(written.text, rng, region)
        if more is not None and more.text != written.text:
            second = self.fill(more.text, rng, region)
            body = body + rng.choice((". ", ". ", "\n", " ... ")) + second
        elif rng.random() < terse and ", " in body:
            body = body.split(", ")[0]  # a terse post: the first clause only
        opener = rng.choice(self.fragments["openers"])
        if opener and body[:1].isupper() and body[1:2].islower() and not opener.endswith(": "):
            body = body[0].lower() + body[1:]
        closer = rng.choice(self.fragments["closers"])
        if closer.startswith(". ") and body[-1:] in ".?!":
            closer = " " + closer[2:]
        return restyle(f"{opener}{body}{closer}", rng, slang, self.fragments["spelling"])


def _money(rng: random.Random) -> str:
    amount = rng.choice([5, 10, 15, 20, 25, 35, 50, 75, 100, 150, 200, 250, 300, 500])
    return rng.choice([f"Rp{amount}.000", f"{amount} ribu", f"{amount}rb", f"Rp {amount} ribu"])


def restyle(text: str, rng: random.Random, slang: float, spelling: dict[str, list[str]]) -> str:
    """Vary spelling: slang and Javanese variants, a dropped vowel, an elongated word, casing.

    ``slang`` (0..1) is how informal the writer is; 0 leaves the text as written.
    """
    if slang <= 0:
        return text
    for word, variants in spelling.items():
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        text = pattern.sub(lambda m: rng.choice(variants) if rng.random() < slang else m.group(0), text)
    words = text.split(" ")
    if len(words) > 4 and rng.random() < slang * 0.5:
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 5 and word.isalpha():
            j = rng.randrange(1, len(word) - 1)
            if word[j] in "aiueo":
                words[i] = word[:j] + word[j + 1:]  # a typo: one dropped vowel
    if len(words) > 3 and rng.random() < slang * 0.3:
        i = rng.randrange(len(words))
        if words[i][-1:].isalpha() and words[i][-1] in "aiueo":
            words[i] = words[i] + words[i][-1] * rng.randint(1, 3)  # an elongation: lamaaa
    text = " ".join(words)
    if rng.random() < slang * 0.25:
        text = text.lower()
    return text
