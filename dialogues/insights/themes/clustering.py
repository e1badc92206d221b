"""From vectors to groups: language centring, the lexical channel, Ward clustering.

The choices here were measured on the labelled set and the demo comments (see
docs/themes-benchmark.md): Ward beat k-means, spectral and average linkage; subtracting each
language's mean vector was the largest single gain; a small lexical channel with the
Danish→English glossary added a little; dropping principal components, whitening and
"anchor" similarities to described topics all made it worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from dialogues.insights.themes.embedding import normalise
from dialogues.insights.themes.text import lexical_tokens

# Share of the squared distance that comes from words rather than from the embedding.
LEXICAL_WEIGHT = 0.3
# Ward needs the pairwise distances (n²/2 numbers): above this many comments it is fitted on a
# random sample, and every comment then goes to its nearest centroid.
FIT_LIMIT = 2500
# A language mean from a handful of comments is mostly noise: it is pulled towards the mean of
# all comments as if this many more comments had that mean.
MEAN_PRIOR = 10
LEXICON_SIZE = 3000
REFINE_ITERATIONS = 10


def language_means(vectors: np.ndarray, languages: Sequence[str]) -> dict[str, np.ndarray]:
    """Each language's mean vector, shrunk towards the overall mean when it has few comments."""
    languages = np.asarray(languages)
    overall = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], np.float32)
    means = {}
    for language in sorted(set(languages.tolist())):
        rows = vectors[languages == language]
        means[language] = (rows.sum(axis=0) + MEAN_PRIOR * overall) / (len(rows) + MEAN_PRIOR)
    return means


def centre(
    vectors: np.ndarray,
    languages: Sequence[str],
    means: dict[str, np.ndarray],
    *,
    in_place: bool = False,
) -> np.ndarray:
    """Unit vectors with their language's mean removed.

    A multilingual embedding puts a Danish and an English comment on one topic further apart
    than two Danish comments on different topics: the language is the largest direction.
    Removing each language's mean takes most of that away.
    """
    shifted = vectors if in_place else np.array(vectors, dtype=np.float32, copy=True)
    fallback = np.mean(list(means.values()), axis=0) if means else 0.0
    languages = np.asarray(languages)
    for language in set(languages.tolist()):
        shifted[languages == language] -= means.get(language, fallback)
    return normalise(shifted, in_place=True)


def lexical_features(texts: Sequence[str], languages: Sequence[str]) -> sparse.csr_matrix:
    """Unit TF-IDF rows (sparse) over glossary-normalised word stems; zero rows if no word."""
    tokens = [
        lexical_tokens(text, language) for text, language in zip(texts, languages, strict=True)
    ]
    vectoriser = TfidfVectorizer(
        analyzer=lambda row: row,
        sublinear_tf=True,
        min_df=2 if len(texts) >= 20 else 1,
        max_features=LEXICON_SIZE,
        dtype=np.float32,
    )
    try:
        return vectoriser.fit_transform(tokens).tocsr()
    except ValueError:  # no word at all, or none occurs twice
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


@dataclass(frozen=True)
class Points:
    """The space the clustering sees: both channels, weighted, side by side.

    The lexical part stays sparse: densified it would take 120 MB for 10,000 comments. Rows
    are made dense only for the sample Ward sees.
    """

    dense: np.ndarray
    lexical: sparse.csr_matrix

    def __len__(self) -> int:
        return self.dense.shape[0]

    def rows(self, indexes: np.ndarray) -> np.ndarray:
        return np.hstack([self.dense[indexes], self.lexical[indexes].toarray()])

    def means(self, labels: np.ndarray, count: int, previous: np.ndarray) -> np.ndarray:
        """Each group's mean row; a group without members keeps its ``previous`` centroid."""
        indicator = sparse.csr_matrix(
            (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
            shape=(count, len(labels)),
        )
        sizes = np.asarray(indicator.sum(axis=1)).reshape(-1, 1)
        sums = np.hstack([indicator @ self.dense, (indicator @ self.lexical).toarray()])
        return np.where(sizes > 0, sums / np.maximum(sizes, 1), previous)

    def nearest(self, centroids: np.ndarray) -> np.ndarray:
        """Index of the nearest centroid (Euclidean) for each row."""
        width = self.dense.shape[1]
        dots = self.dense @ centroids[:, :width].T + self.lexical @ centroids[:, width:].T
        return np.argmin((centroids**2).sum(axis=1) - 2 * np.asarray(dots), axis=1)


def features(embedded: np.ndarray, lexical: sparse.csr_matrix) -> Points:
    """``Points`` with the channels weighted by ``LEXICAL_WEIGHT``.

    Only the lexical part is scaled (by √(w / (1 − w))): scaling every distance by one factor
    changes neither Ward's merges nor the nearest centroids, and the embedding is not copied.
    """
    scale = np.float32(np.sqrt(LEXICAL_WEIGHT / (1 - LEXICAL_WEIGHT)))
    return Points(embedded, (lexical * scale).astype(np.float32).tocsr())


def _sample(count: int, seed: int) -> np.ndarray:
    if count <= FIT_LIMIT:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, FIT_LIMIT, replace=False))


def choose_count(distances: np.ndarray, tree: np.ndarray, low: int, high: int) -> int:
    """The number of groups between ``low`` and ``high`` with the best silhouette.

    On comments the silhouette keeps growing with the number of groups (measured: it would
    give 16 themes to 38 answers), so the count is also capped at √n, which gave the best
    ARI per question; within that range the smallest count within 2% of the best wins.
    """
    high = min(high, max(low, int(np.ceil(np.sqrt(len(distances))))))
    if high <= low:
        return max(1, high)
    scores = {}
    for count in range(low, high + 1):
        labels = fcluster(tree, count, criterion="maxclust")
        if len(np.unique(labels)) < 2:
            continue
        scores[count] = silhouette_score(distances, labels, metric="precomputed")
    if not scores:
        return low
    best = max(scores.values())
    return min(count for count, score in scores.items() if score >= best - 0.02 * abs(best))


def _distances(rows: np.ndarray) -> np.ndarray:
    """Euclidean distances between all ``rows`` (through the Gram matrix, in float32)."""
    gram = rows @ rows.T
    squared = np.diag(gram)
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * gram, 0))
    np.fill_diagonal(distances, 0)
    return distances


def cluster(points: Points, *, seed: int, low: int, high: int) -> np.ndarray:
    """Group labels 0..k-1 (largest group first), deterministic for a seed.

    Ward on (a sample of) the points picks the groups; a few k-means steps from Ward's
    centroids over all points then settle the borders, so that every comment sits with its
    nearest centroid, as a comment assigned later will.
    """
    count = len(points)
    if count == 0:
        return np.zeros(0, dtype=int)
    high = min(high, count - 1)
    if high < 2:
        return np.zeros(count, dtype=int)
    sample = points.rows(_sample(count, seed))
    distances = _distances(sample)
    # Ward from Euclidean distances computed with BLAS: 5x faster than linkage's own pdist.
    tree = linkage(squareform(distances, checks=False).astype(np.float64), method="ward")
    k = choose_count(distances, tree, min(low, high), high)
    sample_labels = fcluster(tree, k, criterion="maxclust") - 1
    centroids = np.vstack([sample[sample_labels == c].mean(axis=0) for c in range(k)])
    del sample, distances, tree
    return refine(points, centroids)


def refine(points: Points, centroids: np.ndarray) -> np.ndarray:
    """Lloyd's k-means steps from ``centroids``; a group that empties keeps its old centroid."""
    labels = points.nearest(centroids)
    for _ in range(REFINE_ITERATIONS):
        centroids = points.means(labels, len(centroids), centroids)
        moved = points.nearest(centroids)
        if np.array_equal(moved, labels):
            break
        labels = moved
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 by decreasing group size (ties by first member), without gaps."""
    values, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(values)), key=lambda i: (-counts[i], first[i]))
    mapping = {values[i]: rank for rank, i in enumerate(order)}
    return np.array([mapping[v] for v in labels], dtype=int)
