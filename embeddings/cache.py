"""A persistent embedding cache: one vector per (model, SHA-256 of the text), in SQLite.

Reindexing unchanged texts costs a lookup, not an encode; vectors of different models never
mix because the model name is part of the key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder, Progress


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model name, text hash), stored as float32 bytes in an SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.repaired: str | None = None  # what was wrong with the file, when it had to be replaced
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.read_only = self.path.is_file() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        )
        if self.read_only:  # a read-only data folder: use what is cached, store nothing new
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            return
        try:
            self._db = self._open(str(path))
        except sqlite3.DatabaseError as error:
            # a damaged cache only costs re-encoding: move it aside, start empty, say so once
            aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
            self.path.rename(aside)
            self.repaired = (
                f"embedding cache {self.path.name} was unreadable ({error}); moved to {aside.name}"
            )
            logging.getLogger("hubmatch").warning(self.repaired)
            self._db = self._open(str(path))

    @staticmethod
    def _open(path: str) -> sqlite3.Connection:
        # one connection shared by the app's sessions (threads): every use holds the lock
        db = sqlite3.connect(path, check_same_thread=False)
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors ("
                " model TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, hash))"
            )
            db.execute("SELECT model, hash, dim, vector FROM vectors LIMIT 1").fetchall()
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})", [model, *chunk]
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        if self.read_only:
            return
        with self._lock:
            self._put_many(model, items)

    def _put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors (model, hash, dim, vector) VALUES (?, ?, ?, ?)",
            [
                (model, key, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                for key, v in items.items()
            ],
        )
        self._db.commit()

    def count(self, model: str | None = None) -> int:
        if model is None:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", [model]).fetchone()[0]


SAVE_EVERY = 256  # texts encoded between two writes to the cache


def _offset(progress: Progress, done_before: int, total: int) -> Progress:
    """Report a slice's progress as progress over the whole encode."""
    return lambda done, _slice_total: progress(done_before + done, total)


class CachedEncoder:
    """An ``Encoder`` that asks the cache first and encodes only texts it has not seen.

    ``misses`` counts the texts actually encoded since creation (useful to prove a reindex
    of unchanged texts encoded nothing).
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.name = encoder.name
        self.misses = 0

    @property
    def dimension(self) -> int:
        """Asked of the inner encoder when needed: a lazy one is not loaded just to build this."""
        return self.encoder.dimension

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors for ``texts``: float32 (n, dimension), unit rows; cached ones are not recomputed."""
        hashes = [text_hash(t) for t in texts]
        known = self.cache.get_many(self.name, hashes)
        missing = list(dict.fromkeys(h for h in hashes if h not in known))
        if missing:
            by_hash = dict(zip(hashes, texts, strict=True))
            # encoded and stored a slice at a time: a re-index stopped half-way (killed, or the
            # machine restarted) keeps what it encoded, and the next one starts from there
            for start in range(0, len(missing), SAVE_EVERY):
                chunk = missing[start : start + SAVE_EVERY]
                step = None if progress is None else _offset(progress, start, len(missing))
                fresh = self.encoder.encode([by_hash[h] for h in chunk], progress=step)
                new = dict(zip(chunk, fresh, strict=True))
                self.cache.put_many(self.name, new)
                known.update(new)
                self.misses += len(chunk)
        elif progress:
            progress(len(texts), len(texts))
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.stack([known[h] for h in hashes]).astype(np.float32, copy=False)
