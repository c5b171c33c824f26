"""Text relevance: dense (embeddings) and lexical (BM25) evidence, calibrated per query.

A raw cosine means little on its own: one encoder puts unrelated texts at 0.1, another at
0.6, and one query's best match may sit at 0.3 while another's worst sits at 0.4. So each
query's similarities are read against that query's own distribution over the corpus:

- dense: z = (cosine - mean) / sd, the mean and sd taken over a fixed sample of the index;
- lexical: BM25 over stemmed words (English and Russian Snowball stemmers, a prefix for
  Kazakh), z-scored over the whole catalog the same way;
- fused: (z_dense + w * z_lexical) / (1 + w). A listing in another language than the query
  cannot share its words, so its lexical z is taken to be its dense z (it is neither helped
  nor hurt by BM25);
- relevance = logistic((fused - centre) / scale), in [0, 1]: about 0.1 for a typical listing
  of the corpus, 0.5 at ``centre`` standard deviations above it, near 1 for a clear fit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from hub.language import CYRILLIC, KAZAKH_LETTERS

WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
KAZAKH_STEM = 6  # Kazakh has no Snowball stemmer: its suffixes follow the root, so keep a prefix
SAMPLE_SIZE = 2048
MIN_SD = 1e-3
PRIOR_MEAN, PRIOR_SD, PRIOR_WEIGHT = 0.1, 0.1, 20


@lru_cache(maxsize=1)
def _stemmers() -> tuple[object, object, frozenset[str]]:
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

    stop = frozenset(w.lower() for w in (*STOPWORDS_EN, *STOPWORDS_RUSSIAN))
    return Stemmer.Stemmer("english"), Stemmer.Stemmer("russian"), stop


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text`` (stop words dropped)."""
    return list(_tokens(text))


@lru_cache(maxsize=65_536)
def _tokens(text: str) -> tuple[str, ...]:
    """``tokens``, remembered: a refresh after one edit re-reads every listing, and only the
    edited one needs stemming again."""
    english, russian, stop = _stemmers()
    out = []
    for word in WORD.findall(text.lower()):
        if word in stop or word.isdigit():
            continue
        if CYRILLIC.search(word):
            out.append(word[:KAZAKH_STEM] if KAZAKH_LETTERS.search(word) else russian.stemWord(word))
        else:
            out.append(english.stemWord(word))
    return tuple(out)


class Lexicon:
    """BM25 (Okapi, k1 1.2, b 0.75) over a list of documents; scores for all of them at once.

    ``rows`` maps catalog positions to documents when several positions share one text (the
    benchmark's replicated catalogs); by default position i is document i.
    """

    def __init__(
        self, documents: Sequence[str], *, rows: np.ndarray | None = None, k1: float = 1.2, b: float = 0.75
    ) -> None:
        vocabulary: dict[str, int] = {}
        data, indices, indptr, lengths = [], [], [0], []
        for document in documents:
            counts: dict[int, int] = {}
            words = _tokens(document)
            for word in words:
                column = vocabulary.setdefault(word, len(vocabulary))
                counts[column] = counts.get(column, 0) + 1
            indices.extend(counts)
            data.extend(counts.values())
            indptr.append(len(indices))
            lengths.append(len(words))
        n = len(documents)
        tf = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(n, len(vocabulary)),
        )
        df = np.bincount(tf.indices, minlength=len(vocabulary)).astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        length = np.asarray(lengths, dtype=np.float64)
        norm = k1 * (1.0 - b + b * length / max(length.mean(), 1.0)) if n else length
        row_norm = np.repeat(norm, np.diff(tf.indptr))
        weights = tf.data * (k1 + 1.0) / (tf.data + row_norm) * idf[tf.indices]
        # (documents, words): the BM25 weight of each word in each document; by rows for scoring a
        # few documents, by columns for scoring all of them
        self.by_row = sparse.csr_matrix((weights.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)
        self.matrix = self.by_row.tocsc()
        self.vocabulary = vocabulary
        self.rows = rows

    def __len__(self) -> int:
        return self.matrix.shape[0] if self.rows is None else len(self.rows)

    def scores(self, query: str, positions: np.ndarray | None = None) -> np.ndarray:
        """BM25 score for ``query`` of every catalog position, or of ``positions`` only, float64."""
        columns = sorted({self.vocabulary[w] for w in tokens(query) if w in self.vocabulary})
        if positions is not None:
            documents = positions if self.rows is None else self.rows[positions]
            if not columns or not len(documents):
                return np.zeros(len(documents), dtype=np.float64)
            return np.asarray(self.by_row[documents][:, columns].sum(axis=1), dtype=np.float64).ravel()
        if not columns:
            return np.zeros(len(self), dtype=np.float64)
        per_document = np.asarray(self.matrix[:, columns].sum(axis=1), dtype=np.float64).ravel()
        return per_document if self.rows is None else per_document[self.rows]


@dataclass(frozen=True)
class QueryScale:
    """One query's dense similarity distribution over its corpus (a fixed sample).

    A small corpus says little about a query's typical similarity, so the sample's mean and
    variance are pooled with a prior worth ``PRIOR_WEIGHT`` texts (unrelated texts sit near
    cosine ``PRIOR_MEAN`` with spread ``PRIOR_SD`` for the bundled encoders); from a few hundred
    listings on, the corpus decides.
    """

    mean: float
    sd: float

    @classmethod
    def of(cls, query: np.ndarray, sample: np.ndarray) -> QueryScale:
        """``sample`` (m, d) unit vectors of the corpus; ``query`` (d,) unit vector."""
        cosine = sample @ query if len(sample) else np.empty(0)
        n, k = len(cosine), PRIOR_WEIGHT
        m = float(cosine.mean()) if n else PRIOR_MEAN
        v = float(cosine.var()) if n else PRIOR_SD**2
        mean = (n * m + k * PRIOR_MEAN) / (n + k)
        var = (n * (v + (m - mean) ** 2) + k * (PRIOR_SD**2 + (PRIOR_MEAN - mean) ** 2)) / (n + k)
        return cls(mean, max(math.sqrt(var), MIN_SD))

    def z(self, cosine: np.ndarray | float) -> np.ndarray:
        return (np.asarray(cosine, dtype=np.float64) - self.mean) / self.sd


def corpus_sample(vectors: np.ndarray, size: int = SAMPLE_SIZE, seed: int = 0) -> np.ndarray:
    """A fixed random sample of at most ``size`` rows of ``vectors`` (n, d)."""
    if len(vectors) <= size:
        return vectors
    rows = np.random.default_rng(seed).choice(len(vectors), size, replace=False)
    return vectors[np.sort(rows)]


def lexical_z(scores: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """BM25 scores as z-scores over the catalog, or over ``reference`` (a sample of it); zeros
    when no word of the query occurs."""
    reference = scores if reference is None else reference
    sd = float(reference.std()) if len(reference) else 0.0
    if sd < MIN_SD:
        return np.zeros_like(scores)
    return (scores - float(reference.mean())) / sd


def relevance(fused_z: np.ndarray, centre: float, scale: float) -> np.ndarray:
    """Calibrated text relevance in [0, 1] from a fused z-score."""
    return 1.0 / (1.0 + np.exp(-(np.asarray(fused_z, dtype=np.float64) - centre) / scale))


def fuse(
    dense: np.ndarray,
    lexical: np.ndarray | None,
    same_language: np.ndarray,
    weight: float,
    *,
    peers: int = 20,
) -> np.ndarray:
    """(z_dense + weight * z_lexical) / (1 + weight) of each candidate.

    A candidate in another language than the query cannot share its words. Its lexical z is
    imputed as its dense z plus the mean lexical excess (z_lexical - z_dense) of the ``peers``
    same-language candidates nearest the query in meaning: it gets the word credit that the
    best listings in the query's language earn, so BM25 neither buries nor lifts the others.
    """
    if lexical is None or weight <= 0:
        return dense
    if same_language.any() and not same_language.all():
        own = np.flatnonzero(same_language)
        closest = own[np.argsort(-dense[own], kind="stable")[:peers]]
        excess = float(np.mean(lexical[closest] - dense[closest]))
        lexical = np.where(same_language, lexical, dense + excess)
    elif not same_language.any():
        lexical = dense
    return (dense + weight * lexical) / (1.0 + weight)
