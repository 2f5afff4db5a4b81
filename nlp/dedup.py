"""Near-duplicate clusters, so that alerts count unique voices rather than reposts.

Each post's normalised text becomes a set of word bigrams, hashed into a MinHash signature by
:mod:`nlp.minhash` (a whole batch at once, in numpy); locality-sensitive hashing (20 bands of 3 values)
finds earlier posts that may be near copies, and their signatures are compared to keep only
those whose estimated Jaccard similarity reaches ``threshold``. A post joins the cluster of its
most similar earlier post, or starts its own: the ``cluster_id`` is the id of the cluster's
first post.

The index is a SQLite file in a directory, so clusters span batches and restarts; it keeps
between half and all of the newest ``max_posts`` posts (a campaign is hours or days, not
forever). SQLite stores only the posts (id, cluster, signature), appended in order; the band
buckets live in memory (:class:`_Buckets`), rebuilt from the signatures when the index opens,
because a band table on disk costs a random B-tree write per band and post. Memory: about 600
bytes a post (signature, 20 band keys, cluster id), some 120 MB for a full default window. Assigning a post id
that is already indexed returns its cluster again (replays are idempotent). Posts of fewer than
``min_words`` words are too short to call copies and keep their own cluster.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from nlp.minhash import BANDS, NUM_PERM, ROWS, SEED, band_keys, shingle_hashes, signatures_of_hashes
from pantau.errors import PantauError

FORMAT = f"minhash-crc32-fmix-bigram-{BANDS}x{ROWS}-seed{SEED}-v4"
_OLD_FORMAT = f"minhash-crc32-fmix-bigram-{BANDS}x{ROWS}-seed{SEED}-v3"  # same signatures, bands on disk
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    seq INTEGER PRIMARY KEY, post_id TEXT NOT NULL UNIQUE, cluster_id TEXT NOT NULL, sig BLOB
);
INSERT OR IGNORE INTO meta VALUES ('generation', '0'), ('generation_start', '1');
"""


class DedupError(PantauError):
    """The near-duplicate index cannot be opened (permissions, a different format)."""


class DedupIndex:
    """A persistent MinHash LSH index of recent posts in ``directory`` (``dedup.sqlite``)."""

    def __init__(self, directory: str | Path, *, threshold: float = 0.5, min_words: int = 4, max_posts: int = 200_000) -> None:
        self.threshold = threshold
        self.min_words = min_words
        self.max_posts = max_posts
        self._lock = threading.Lock()  # a tagger built in one thread may tag in another
        self._buckets: _Buckets | None = None  # loaded inside the first assign's transaction
        path = Path(directory)
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path / "dedup.sqlite", timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._check_format()
        except sqlite3.Error as exc:
            raise DedupError(f"cannot open the near-duplicate index in {path}: {exc}") from None
        except OSError as exc:
            raise DedupError(f"cannot create the near-duplicate index directory {path}: {exc.strerror}") from None

    def _check_format(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is not None and row[0] == _OLD_FORMAT:  # the bands are rebuilt from the signatures
            self._db.executescript("BEGIN; DROP TABLE IF EXISTS bands_0; DROP TABLE IF EXISTS bands_1; "
                                   f"UPDATE meta SET value = '{FORMAT}' WHERE key = 'format'; COMMIT;")
        elif row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        elif row[0] != FORMAT:
            raise sqlite3.DatabaseError(f"index format {row[0]!r}, expected {FORMAT!r}; move the old index away")

    def assign(self, items: Sequence[tuple[str, str]]) -> list[str]:
        """Cluster ids for ``(post_id, normalised_text)`` pairs, indexing the new posts."""
        sets = [shingle_hashes(text, self.min_words) for _, text in items]
        sigs = signatures_of_hashes(sets)
        keys = band_keys(sigs)
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                return self._assign(items, sets, sigs, keys)
            except BaseException:
                self._buckets = None  # memory may be ahead of the rolled-back file: reload it
                raise

    def _assign(self, items: Sequence[tuple[str, str]], sets: list[list[int]], sigs: np.ndarray, keys: np.ndarray) -> list[str]:
        known = self._known([post_id for post_id, _ in items])
        generation, start = self._generation()
        (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM posts").fetchone()
        buckets = self._sync(generation, seq)
        best_score, best_row = (a.tolist() for a in buckets.best(sigs, keys))
        earlier = _earlier_neighbours(sigs, keys, [bool(s) for s in sets])
        needed = self.threshold * NUM_PERM
        added: dict[int, str] = {}  # batch position -> cluster, for the posts indexed so far
        posts, result = [], []
        for i, (post_id, _) in enumerate(items):
            if post_id in known:
                result.append(known[post_id])
                continue
            cluster = post_id
            seq += 1
            if sets[i]:
                score, source = best_score[i], buckets.clusters[best_row[i]] if best_row[i] >= 0 else None
                for j, agreement in earlier.get(i, ()):
                    if j in added and agreement > score:  # ties keep the older post
                        score, source = agreement, added[j]
                if source is not None and score >= needed:
                    cluster = source
                added[i] = cluster
            known[post_id] = cluster
            posts.append((seq, post_id, cluster, sigs[i].tobytes() if sets[i] else None))
            result.append(cluster)
        self._db.executemany("INSERT INTO posts VALUES (?, ?, ?, ?)", posts)
        order = list(added)
        buckets.extend(sigs[order], [added[i] for i in order], keys[order])
        buckets.upto = seq
        if seq - start + 1 >= self.max_posts // 2:
            self._rotate(generation, start, seq)
        return result

    def _sync(self, generation: int, newest: int) -> _Buckets:
        """The in-memory buckets, up to date with the file (another process may have written)."""
        buckets = self._buckets
        if buckets is None or buckets.generation != generation:
            buckets = self._buckets = _Buckets(generation)
        if newest > buckets.upto:
            rows = self._db.execute("SELECT seq, cluster_id, sig FROM posts WHERE seq > ? AND sig IS NOT NULL ORDER BY seq",
                                    (buckets.upto,)).fetchall()
            buckets.load(rows)
            buckets.upto = newest
        return buckets

    def _known(self, post_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(post_ids))):
            sql = f"SELECT post_id, cluster_id FROM posts WHERE post_id IN ({','.join('?' * len(chunk))})"
            found.update(self._db.execute(sql, chunk).fetchall())
        return found

    def _generation(self) -> tuple[int, int]:
        rows = dict(self._db.execute("SELECT key, value FROM meta WHERE key LIKE 'generation%'").fetchall())
        return int(rows["generation"]), int(rows["generation_start"])

    def _rotate(self, generation: int, start: int, newest: int) -> None:
        """Forget the previous generation's posts and start a new one; the window holds between
        half and all of ``max_posts``. The buckets are rebuilt from the kept posts next time."""
        self._db.execute("DELETE FROM posts WHERE seq < ?", (start,))
        self._db.executemany(
            "UPDATE meta SET value = ? WHERE key = ?",
            [(str(generation + 1), "generation"), (str(newest + 1), "generation_start")],
        )
        self._buckets = None

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DedupIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Buckets:
    """Band key -> indexed posts (rows), in memory: a sorted key array, searched for a whole
    batch at once, plus a dict of the keys added since it was last rebuilt. ``upto``: the newest
    seq seen in the file."""

    def __init__(self, generation: int) -> None:
        self.generation, self.upto = generation, 0
        self.sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self.clusters: list[str] = []
        self.keys = np.empty(0, dtype=np.int64)  # sorted
        self.rows = np.empty(0, dtype=np.int32)  # row of each key, ascending within a key
        self.recent: dict[int, int | list[int]] = {}  # key -> its row, or rows when several
        self.recent_keys: list[int] = []
        self.recent_rows: list[int] = []

    def load(self, rows: list[tuple[int, str, bytes]]) -> None:
        """Add posts read from the file: ``(seq, cluster_id, signature)``."""
        if rows:
            sigs = np.frombuffer(b"".join(blob for _, _, blob in rows), dtype=np.uint32).reshape(len(rows), NUM_PERM)
            self.extend(sigs, [cluster for _, cluster, _ in rows], band_keys(sigs))

    def extend(self, sigs: np.ndarray, clusters: list[str], keys: np.ndarray) -> None:
        first = len(self.clusters)
        if first + len(sigs) > len(self.sigs):
            grown = np.empty((max(first + len(sigs), 2 * len(self.sigs)), NUM_PERM), dtype=np.uint32)
            grown[:first] = self.sigs[:first]
            self.sigs = grown
        self.sigs[first : first + len(sigs)] = sigs
        self.clusters += clusters
        flat_keys = keys.ravel().tolist()
        flat_rows = np.repeat(np.arange(first, first + len(sigs)), BANDS).tolist()
        recent = self.recent
        fresh = dict(zip(flat_keys, flat_rows))
        if len(fresh) == len(flat_keys) and recent.keys().isdisjoint(fresh):
            recent.update(fresh)  # the common case: keys never seen, one row each
        else:
            for key, row in zip(flat_keys, flat_rows):
                before = recent.get(key)
                if before is None:
                    recent[key] = row
                elif isinstance(before, int):
                    recent[key] = [before, row]
                else:
                    before.append(row)
        self.recent_keys += flat_keys
        self.recent_rows += flat_rows
        if len(self.recent_keys) > max(20_000, len(self.keys) // 32):
            self._merge()

    def best(self, sigs: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per post of a batch: the most values its signature shares with an indexed post that
        shares a band with it, and that post's row (-1 when none); ties go to the oldest post."""
        n = len(sigs)
        flat = keys.ravel()
        lo, hi = np.searchsorted(self.keys, flat, side="left"), np.searchsorted(self.keys, flat, side="right")
        counts = hi - lo
        owner = np.repeat(np.arange(n), BANDS)
        posts = np.repeat(owner, counts)
        rows = self.rows[np.arange(counts.sum()) + np.repeat(lo - np.cumsum(counts) + counts, counts)]
        if self.recent:
            recent = self.recent
            found = [(p, recent[k]) for p, k in zip(owner.tolist(), flat.tolist()) if k in recent]
            pairs = [(p, r) for p, rows in found for r in ((rows,) if isinstance(rows, int) else rows)]
            if pairs:
                more = np.array(pairs, dtype=np.int64)
                posts, rows = np.concatenate((posts, more[:, 0])), np.concatenate((rows, more[:, 1]))
        best_score, best_row = np.zeros(n, dtype=np.int64), np.full(n, -1, dtype=np.int64)
        if len(rows):
            span = len(self.clusters) + 1
            unique = np.unique(posts * span + rows)  # by post, then oldest row first
            posts, rows = unique // span, unique % span
            scores = np.count_nonzero(self.sigs[rows] == sigs[posts], axis=1)
            order = np.lexsort((rows, -scores, posts))
            top = order[np.concatenate(([True], posts[order][1:] != posts[order][:-1]))]
            best_score[posts[top]], best_row[posts[top]] = scores[top], rows[top]
        return best_score, best_row

    def _merge(self) -> None:
        """Fold the recent keys into the sorted arrays (a stable sort keeps rows ascending; it
        merges the sorted part with the sorted tail, so this costs about a copy of the arrays)."""
        keys = np.concatenate((self.keys, np.array(self.recent_keys, dtype=np.int64)))
        rows = np.concatenate((self.rows, np.array(self.recent_rows, dtype=np.int32)))
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order]
        self.recent, self.recent_keys, self.recent_rows = {}, [], []


def _earlier_neighbours(sigs: np.ndarray, keys: np.ndarray, usable: list[bool]) -> dict[int, list[tuple[int, int]]]:
    """Within a batch: post -> [(earlier post sharing a band, values their signatures share)]."""
    mask = np.array(usable, dtype=bool)
    shared = (keys[:, None, :] == keys[None, :, :]).any(axis=2) & mask[:, None] & mask[None, :]
    later, earlier = np.nonzero(np.tril(shared, -1))
    out: dict[int, list[tuple[int, int]]] = {}
    if len(later):
        agreement = np.count_nonzero(sigs[later] == sigs[earlier], axis=1)
        for i, j, a in zip(later.tolist(), earlier.tolist(), agreement.tolist()):
            out.setdefault(i, []).append((j, a))
    return out


def _chunks(values: list, size: int = 500) -> list[list]:
    return [values[i : i + size] for i in range(0, len(values), size)]
