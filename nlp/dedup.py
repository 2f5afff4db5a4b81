"""Near-duplicate clusters, so that alerts count unique voices rather than reposts.

Each post's normalised text becomes a set of word bigrams, hashed into a MinHash signature
(computed for a whole batch at once in numpy); locality-sensitive hashing (20 bands of 3 values) finds earlier posts that may be
near copies, and their signatures are compared to keep only those whose estimated Jaccard
similarity reaches ``threshold``. A post joins the cluster of its most similar earlier post, or
starts its own: the ``cluster_id`` is the id of the cluster's first post.

The index is a SQLite file in a directory, so clusters span batches and restarts; it keeps
between half and all of the newest ``max_posts`` posts (a campaign is hours or days, not
forever). Assigning a post id that
is already indexed returns its cluster again (replays are idempotent). Posts of fewer than
``min_words`` words are too short to call copies and keep their own cluster.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pantau.errors import PantauError

BANDS, ROWS = 20, 3
NUM_PERM = BANDS * ROWS
SEED = 33
# Odd 64-bit multipliers that fold a band's values (and its number) into one key.
_FOLD = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    seq INTEGER PRIMARY KEY, post_id TEXT NOT NULL UNIQUE, cluster_id TEXT NOT NULL, sig BLOB
);
CREATE TABLE IF NOT EXISTS bands_0 (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands_1 (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta VALUES ('generation', '0'), ('generation_start', '1');
"""


class DedupError(PantauError):
    """The near-duplicate index cannot be opened (permissions, a different format)."""


def shingles(normalised: str, min_words: int = 1) -> set[bytes]:
    """Word bigrams of a normalised text (punctuation dropped); single words for one-word texts;
    nothing for texts of fewer than ``min_words`` words."""
    words = [t for t in normalised.split() if t[0].isalnum()]
    if len(words) < min_words:
        return set()
    if len(words) < 2:
        return {w.encode() for w in words}
    return {f"{a} {b}".encode() for a, b in zip(words, words[1:])}


class DedupIndex:
    """A persistent MinHash LSH index of recent posts in ``directory`` (``dedup.sqlite``)."""

    def __init__(self, directory: str | Path, *, threshold: float = 0.5, min_words: int = 4, max_posts: int = 200_000) -> None:
        self.threshold = threshold
        self.min_words = min_words
        self.max_posts = max_posts
        self._lock = threading.Lock()  # a tagger built in one thread may tag in another
        path = Path(directory)
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path / "dedup.sqlite", timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")
            self._db.executescript(_SCHEMA)
            self._check_format()
        except sqlite3.Error as exc:
            raise DedupError(f"cannot open the near-duplicate index in {path}: {exc}") from None
        except OSError as exc:
            raise DedupError(f"cannot create the near-duplicate index directory {path}: {exc.strerror}") from None

    def _check_format(self) -> None:
        expected = f"minhash-crc32-fmix-bigram-{BANDS}x{ROWS}-seed{SEED}-v3"
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (expected,))
        elif row[0] != expected:
            raise sqlite3.DatabaseError(f"index format {row[0]!r}, expected {expected!r}; move the old index away")

    def assign(self, items: Sequence[tuple[str, str]]) -> list[str]:
        """Cluster ids for ``(post_id, normalised_text)`` pairs, indexing the new posts."""
        sets = [shingles(text, self.min_words) for _, text in items]
        sigs = signatures(sets)
        keys = _band_keys(sigs)
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            known = self._known([post_id for post_id, _ in items])
            candidates = self._candidates({k for i, s in enumerate(sets) if s for k in keys[i]})
            (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM posts").fetchone()
            posts, bands, result = [], [], []
            for i, (post_id, _) in enumerate(items):
                if post_id in known:
                    result.append(known[post_id])
                    continue
                cluster = post_id
                if sets[i]:
                    cluster = self._nearest(sigs[i], keys[i], candidates) or post_id
                    for key in keys[i]:
                        candidates.setdefault(key, []).append((cluster, sigs[i]))
                seq += 1
                known[post_id] = cluster
                posts.append((seq, post_id, cluster, sigs[i].tobytes() if sets[i] else None))
                bands.extend((key, seq) for key in (keys[i] if sets[i] else ()))
                result.append(cluster)
            self._db.executemany("INSERT INTO posts VALUES (?, ?, ?, ?)", posts)
            generation, start = self._generation()
            self._db.executemany(f"INSERT OR IGNORE INTO bands_{generation % 2} VALUES (?, ?)", bands)
            if seq - start + 1 >= self.max_posts // 2:
                self._rotate(generation, start, seq)
        return result

    def _known(self, post_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(post_ids))):
            sql = f"SELECT post_id, cluster_id FROM posts WHERE post_id IN ({','.join('?' * len(chunk))})"
            found.update(self._db.execute(sql, chunk).fetchall())
        return found

    def _candidates(self, keys: set[int]) -> dict[int, list[tuple[str, np.ndarray]]]:
        """Indexed posts sharing a band key with the batch: key -> [(cluster_id, signature)]."""
        seqs_by_key: dict[int, list[int]] = {}
        for chunk in _chunks(sorted(keys)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, seq FROM bands_0 WHERE key IN ({marks}) UNION ALL SELECT key, seq FROM bands_1 WHERE key IN ({marks})"
            for key, seq in self._db.execute(sql, chunk + chunk):
                seqs_by_key.setdefault(key, []).append(seq)
        posts: dict[int, tuple[str, np.ndarray]] = {}
        for chunk in _chunks(sorted({s for seqs in seqs_by_key.values() for s in seqs})):
            sql = f"SELECT seq, cluster_id, sig FROM posts WHERE seq IN ({','.join('?' * len(chunk))})"
            for seq, cluster_id, blob in self._db.execute(sql, chunk):
                posts[seq] = (cluster_id, np.frombuffer(blob, dtype=np.uint32))
        return {key: [posts[s] for s in seqs if s in posts] for key, seqs in seqs_by_key.items()}

    def _nearest(self, sig: np.ndarray, keys: list[int], candidates: dict[int, list[tuple[str, np.ndarray]]]) -> str | None:
        """The cluster of the most similar candidate at or above the threshold."""
        seen: dict[int, tuple[str, np.ndarray]] = {}
        for key in keys:
            for candidate in candidates.get(key, ()):
                seen[id(candidate)] = candidate
        if not seen:
            return None
        clusters = [cluster for cluster, _ in seen.values()]
        scores = np.count_nonzero(np.stack([other for _, other in seen.values()]) == sig, axis=1) / NUM_PERM
        best = int(np.argmax(scores))
        return clusters[best] if scores[best] >= self.threshold else None

    def _generation(self) -> tuple[int, int]:
        rows = dict(self._db.execute("SELECT key, value FROM meta WHERE key LIKE 'generation%'").fetchall())
        return int(rows["generation"]), int(rows["generation_start"])

    def _rotate(self, generation: int, start: int, newest: int) -> None:
        """Forget the previous generation (its bands and posts) and start a new one.

        Two band tables take turns, so forgetting old posts is emptying a table rather than
        deleting rows one by one from an index; the window holds between half and all of
        ``max_posts``.
        """
        self._db.execute(f"DELETE FROM bands_{(generation + 1) % 2}")
        self._db.execute("DELETE FROM posts WHERE seq < ?", (start,))
        self._db.executemany(
            "UPDATE meta SET value = ? WHERE key = ?",
            [(str(generation + 1), "generation"), (str(newest + 1), "generation_start")],
        )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DedupIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _chunks(values: list, size: int = 500) -> list[list]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads CRC32's linear bits before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_rng = np.random.RandomState(SEED)
_PERM_A = (_rng.randint(0, 2**31, NUM_PERM, dtype=np.uint64).astype(np.uint32) << np.uint32(1)) | np.uint32(1)
_PERM_B = _rng.randint(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)


def signatures(sets: Sequence[set[bytes]]) -> np.ndarray:
    """MinHash signatures (one row of ``NUM_PERM`` uint32 per set) for a batch, in one numpy pass.

    Each permutation is ``a * h + b mod 2**32`` with ``a`` odd (a bijection); empty sets get
    the all-ones row, which the caller never indexes.
    """
    out = np.full((len(sets), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    if not lengths.sum():
        return out
    hashes = np.fromiter((zlib.crc32(x) for s in sets for x in s), dtype=np.uint32, count=int(lengths.sum()))
    with np.errstate(over="ignore"):
        permuted = _fmix32(hashes)[:, None] * _PERM_A + _PERM_B
    nonempty = np.flatnonzero(lengths)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
    out[nonempty] = np.minimum.reduceat(permuted, starts, axis=0)
    return out


def _band_keys(sigs: np.ndarray) -> list[list[int]]:
    """Per signature, one signed 64-bit key per band: the band's values and number, folded."""
    n = len(sigs)
    bands = np.empty((n, BANDS, ROWS + 1), dtype=np.uint64)
    bands[:, :, :ROWS] = sigs.reshape(n, BANDS, ROWS)
    bands[:, :, ROWS] = np.arange(BANDS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        folded = (bands * _FOLD[: ROWS + 1]).sum(axis=2, dtype=np.uint64)
    return folded.view(np.int64).tolist()
