"""Which region (regency or city, with its BPS code) a post is about, from a gazetteer file.

The bundled file is Central Java's 29 kabupaten and 6 kota with their kecamatan; another
province's file (``taxonomy.gazetteer`` in the config) has the same shape. Names are run through
the same normaliser as posts, so ``Wedi`` is looked up as the normalised text will spell it.

Evidence, strongest first: an explicit prefix (``kota semarang``, ``kabupaten semarang``,
``pemkab``, ``bupati``), an alias (``Solo``, ``Ungaran``), a district (``Tembalang``), a bare
region name. A name shared by several regions (Semarang, Pekalongan, Magelang, Tegal, and
districts such as Kaliwungu) goes to the candidate the rest of the post supports, else to the
file's ``bare_name_default``. Districts that are also ordinary words (``Salam``, ``Taman``) and
region names in ``needs_place_context`` (``Batang``) count only after ``kecamatan`` or ``di``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pantau.errors import PantauError
from pantau.post import Region
from nlp.normalize import normalize

BUNDLED_PATH = Path(__file__).parent / "data" / "gazetteer_jateng.json"
_PREFIXES = {
    **dict.fromkeys(("kabupaten", "kab", "pemkab", "bupati"), "kabupaten"),
    **dict.fromkeys(("kota", "pemkot", "walikota"), "kota"),
    **dict.fromkeys(("kecamatan", "kec", "camat"), "kecamatan"),
    **dict.fromkeys(("di", "ke", "dari", "warga", "daerah", "wilayah", "kawasan", "sekitar"), "place"),
}
_WEIGHTS = {"explicit": 4.0, "alias": 3.0, "district": 2.0, "base": 1.0}


class GazetteerError(PantauError):
    """The gazetteer file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Entry:
    code: str
    role: str  # base, alias, district
    kind: str  # kabupaten or kota
    guarded: bool  # counts only after a prefix (ordinary word, or needs place context)


class Gazetteer:
    def __init__(self, data: dict, source: Path) -> None:
        self.source = source
        self.regions: dict[str, Region] = {}
        self.phrases: dict[str, list[Entry]] = defaultdict(list)
        try:
            guarded_districts = {normalize(d) for d in data.get("district_needs_prefix", [])}
            guarded_bases = {normalize(b) for b in data.get("needs_place_context", [])}
            self.defaults = {normalize(k): v for k, v in data.get("bare_name_default", {}).items()}
            for r in data["regions"]:
                code, kind = str(r["code"]), r["kind"]
                if kind not in ("kabupaten", "kota"):
                    raise GazetteerError(f"{source}: region {code}: kind must be kabupaten or kota, got {kind!r}")
                self.regions[code] = Region(code=code, name=r["name"])
                base = normalize(r["base"])
                self.phrases[base].append(Entry(code, "base", kind, base in guarded_bases))
                for alias in r.get("aliases", []):
                    self.phrases[normalize(alias)].append(Entry(code, "alias", kind, False))
                for district in r.get("districts", []):
                    name = normalize(district)
                    self.phrases[name].append(Entry(code, "district", kind, name in guarded_districts))
        except (KeyError, TypeError, AttributeError) as exc:
            raise GazetteerError(f"{source}: expected regions with code, name, base, kind, districts: {exc!r}") from None
        unknown = sorted(set(self.defaults.values()) - set(self.regions))
        if unknown:
            raise GazetteerError(f"{source}: bare_name_default names unknown region codes {unknown}")
        self.max_words = max((len(p.split()) for p in self.phrases), default=1)
        self.heads = frozenset(p.split()[0] for p in self.phrases if " " in p)
        self.starts = frozenset(p.split()[0] for p in self.phrases if p.strip())  # where a phrase can begin

    def resolve(self, text: str) -> Region | None:
        """The region a normalised text is about, or None when it names no place of the file."""
        tokens = text.split()
        hits: list[tuple[int, list[tuple[str, float]], str]] = []
        starts = self.starts
        following = 0  # the first token not inside a phrase already found
        for i in [i for i, token in enumerate(tokens) if token in starts]:  # most posts: none or a few
            if i < following:
                continue
            longest = min(self.max_words, len(tokens) - i) if tokens[i] in self.heads else 1
            for size in range(longest, 0, -1):
                phrase = " ".join(tokens[i : i + size]) if size > 1 else tokens[i]
                entries = self.phrases.get(phrase)
                if entries:
                    found = self._evidence(entries, _prefix(tokens, i))
                    if found:
                        hits.append((i, found, phrase))
                    following = i + size
                    break
        return self._decide(hits) if hits else None

    def _evidence(self, entries: list[Entry], prefix: str | None) -> list[tuple[str, float]]:
        if prefix in ("kabupaten", "kota"):
            exact = [(e.code, _WEIGHTS["explicit"]) for e in entries if e.role == "base" and e.kind == prefix]
            if exact:
                return exact
            return [(e.code, _WEIGHTS["alias"]) for e in entries if e.role in ("alias", "base")]
        if prefix == "kecamatan":
            return [(e.code, _WEIGHTS["explicit"]) for e in entries if e.role == "district"]
        has_base = any(e.role == "base" for e in entries)
        return [
            (e.code, _WEIGHTS[e.role])
            for e in entries
            if not (e.guarded and (e.role == "district" or prefix != "place"))
            and not (has_base and e.role == "district")
        ]

    def _decide(self, hits: list[tuple[int, list[tuple[str, float]], str]]) -> Region | None:
        support: dict[str, float] = defaultdict(float)
        first: dict[str, int] = {}
        for pos, found, _ in hits:
            if len({code for code, _ in found}) == 1:
                support[found[0][0]] += max(w for _, w in found)
                first.setdefault(found[0][0], pos)
        for pos, found, phrase in hits:
            codes = {code for code, _ in found}
            if len(codes) == 1:
                continue
            chosen = _pick(found, support, self.defaults.get(phrase))
            if chosen is not None:
                support[chosen] += max(w for c, w in found if c == chosen)
                first.setdefault(chosen, pos)
        if not support:
            return None
        best = max(support, key=lambda code: (support[code], -first[code]))
        return self.regions[best]


def _pick(found: list[tuple[str, float]], support: dict[str, float], default: str | None) -> str | None:
    """One of several candidates: the one the post otherwise supports, else the strongest, else the default."""
    backed = [code for code, _ in found if support.get(code)]
    if backed:
        return max(backed, key=lambda code: support[code])
    top = max(w for _, w in found)
    strongest = {code for code, w in found if w == top}
    if len(strongest) == 1:
        return strongest.pop()
    return default if default in strongest else None


def _prefix(tokens: list[str], i: int) -> str | None:
    j = i - 1
    while j >= 0 and tokens[j] == ".":
        j -= 1
    return _PREFIXES.get(tokens[j]) if j >= 0 else None


@lru_cache(maxsize=8)
def load_gazetteer(path: str | Path = "") -> Gazetteer:
    """The gazetteer at ``path`` (empty: the bundled Central Java file), parsed once."""
    source = Path(path) if path else BUNDLED_PATH
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GazetteerError(f"{source}: gazetteer file not found; fix taxonomy.gazetteer in the config") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GazetteerError(f"{source}: not a readable JSON gazetteer: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise GazetteerError(f"{source}: expected a JSON object with a 'regions' list")
    return Gazetteer(data, source)


def resolve_region(normalised_text: str, gazetteer: Gazetteer | None = None) -> Region | None:
    """The region of one normalised post (bundled gazetteer unless one is given)."""
    return (gazetteer or load_gazetteer()).resolve(normalised_text)
