"""Themes of written comments, in Danish and English at once: the public entry points.

``find_themes`` groups comments; ``themes_from_groups`` rebuilds labels and centroids for a
grouping an analyst has edited; ``ThemeSet.assign`` puts comments that arrive later in the
nearest existing theme. Comments that say nothing ("Nej", "No comments", "-") never enter a
theme: they form the no-content group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from dialogues.insights.themes import clustering
from dialogues.insights.themes.embedding import DIMENSION, embed, normalise, stack
from dialogues.insights.themes.labels import theme_labels
from dialogues.insights.themes.text import detect_language, is_no_content

NO_CONTENT_ID = -1
NO_CONTENT_LABELS = {"da": "Intet reelt indhold", "en": "No real content"}
QUOTES = 3

Vectors = np.ndarray | Sequence[np.ndarray | bytes | memoryview | None]


@dataclass(frozen=True)
class Comment:
    """One written answer. ``key`` is the caller's opaque id; ``language`` is detected if None."""

    key: Hashable
    text: str
    concept: str | None = None
    language: str | None = None


@dataclass
class Theme:
    """A group of comments about one thing.

    ``keys`` are the members, ``quotes`` the (up to) three members nearest the centre,
    ``concept_sizes`` the members per concept, ``centroid`` the unit centre in the
    language-centred embedding space (what ``ThemeSet.assign`` compares with).
    """

    id: Hashable
    keys: list[Hashable]
    label_da: str
    label_en: str
    quotes: list[Hashable]
    concept_sizes: dict[str, int]
    centroid: np.ndarray | None = None
    no_content: bool = False

    def label(self, language: str) -> str:
        return self.label_da if language == "da" else self.label_en

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class ThemeSet:
    """The themes of one grouping, largest first, the no-content group (if any) last.

    Iterating gives the themes. ``computed`` holds the vectors embedded during the call (by
    key), for the caller to keep; ``means`` the language means used for centring.
    """

    themes: list[Theme]
    means: dict[str, np.ndarray]
    computed: dict[Hashable, np.ndarray] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def __getitem__(self, index: int) -> Theme:
        return self.themes[index]

    def theme_of(self) -> dict[Hashable, Hashable]:
        """Comment key → theme id, for every member of every theme."""
        return {key: theme.id for theme in self.themes for key in theme.keys}

    def assign(self, comments: Sequence[Comment], vectors: Vectors | None = None) -> list[Theme]:
        """The existing theme each comment belongs in: its nearest centroid, or no-content.

        The themes are not changed: the caller records the membership (and may call
        ``themes_from_groups`` to refresh labels and quotes).
        """
        prepared = _prepare(comments, vectors)
        self.computed.update(prepared.computed)
        no_content = next((t for t in self.themes if t.no_content), None) or _no_content_theme()
        content = [t for t in self.themes if not t.no_content and t.centroid is not None]
        if not content:
            return [no_content for _ in comments]
        centred = clustering.centre(prepared.vectors, prepared.languages, self.means)
        scores = centred @ np.vstack([t.centroid for t in content]).T
        best = np.argmax(scores, axis=1)
        return [no_content if empty else content[best[i]] for i, empty in enumerate(prepared.empty)]


@dataclass
class _Prepared:
    vectors: np.ndarray
    languages: list[str]
    empty: np.ndarray
    computed: dict[Hashable, np.ndarray]


def _prepare(
    comments: Sequence[Comment], vectors: Vectors | None, empty: Sequence[bool] | None = None
) -> _Prepared:
    """Languages, no-content flags and vectors; only missing vectors of real content are embedded.

    ``empty`` overrides which comments count as saying nothing (an analyst's decision).
    """
    languages = [c.language or detect_language(c.text) for c in comments]
    if empty is None:
        empty = [is_no_content(c.text) for c in comments]
    empty = np.asarray(empty, dtype=bool)
    if isinstance(vectors, np.ndarray) and vectors.ndim == 2:
        # Every vector kept: one float32 copy, normalised in place (no list of rows).
        if len(vectors) != len(comments):
            raise ValueError("vectors must have one entry per comment")
        matrix = normalise(np.array(vectors, dtype=np.float32), in_place=True)
        return _Prepared(matrix, languages, empty, {})
    given = list(vectors) if vectors is not None else [None] * len(comments)
    if len(given) != len(comments):
        raise ValueError("vectors must have one entry per comment")
    missing = [i for i, v in enumerate(given) if v is None and not empty[i]]
    # Short answers repeat ("Mere tid", "Good"): each distinct text is embedded once.
    distinct = list(dict.fromkeys(comments[i].text for i in missing))
    fresh = dict(zip(distinct, embed(distinct), strict=True)) if distinct else {}
    computed = {}
    for index in missing:
        given[index] = computed[comments[index].key] = fresh[comments[index].text]
    zero = np.zeros(DIMENSION, dtype=np.float32)
    matrix = stack([zero if v is None else v for v in given])
    return _Prepared(normalise(matrix, in_place=True), languages, empty, computed)


def find_themes(
    comments: Sequence[Comment],
    *,
    vectors: Vectors | None = None,
    seed: int = 0,
    min_themes: int = 3,
    max_themes: int = 15,
) -> ThemeSet:
    """Group ``comments`` into between ``min_themes`` and ``max_themes`` themes.

    ``vectors`` (optional) are the comments' kept embeddings, row for row; a None entry is
    embedded here. The same comments, vectors and seed always give the same themes.
    """
    prepared = _prepare(comments, vectors)
    content = np.flatnonzero(~prepared.empty)
    languages = [prepared.languages[i] for i in content]
    vectors = prepared.vectors if len(content) == len(comments) else prepared.vectors[content]
    means = clustering.language_means(vectors, languages)
    centred = clustering.centre(vectors, languages, means, in_place=True)
    del vectors
    lexical = clustering.lexical_features([comments[i].text for i in content], languages)
    groups = clustering.cluster(
        clustering.features(centred, lexical), seed=seed, low=min_themes, high=max_themes
    )
    membership = {int(i): int(g) for i, g in zip(content, groups, strict=True)}
    themes = _build(comments, prepared, membership, centred)
    return ThemeSet(themes, means, prepared.computed)


def themes_from_groups(
    comments: Sequence[Comment],
    groups: Mapping[Hashable, Hashable],
    *,
    vectors: Vectors | None = None,
) -> ThemeSet:
    """Themes for a grouping someone made or edited: ``groups`` maps comment key → theme id.

    Labels, quotes and centroids are computed from the members; the grouping itself is kept
    as given; the id ``NO_CONTENT_ID`` marks the no-content group. Comments without a group
    are left out (assign them with ``ThemeSet.assign``).
    """
    kept = [i for i, c in enumerate(comments) if c.key in groups]
    given = None if vectors is None else [vectors[i] for i in kept]
    comments = [comments[i] for i in kept]
    empty = [groups[c.key] == NO_CONTENT_ID for c in comments]
    prepared = _prepare(comments, given, empty)
    grouped = [i for i in range(len(comments)) if not prepared.empty[i]]
    languages = [prepared.languages[i] for i in grouped]
    means = clustering.language_means(prepared.vectors[grouped], languages)
    membership = {i: groups[comments[i].key] for i in grouped}
    centred = clustering.centre(prepared.vectors[grouped], languages, means)
    themes = _build(comments, prepared, membership, centred)
    return ThemeSet(themes, means, prepared.computed)


def _build(
    comments: Sequence[Comment],
    prepared: _Prepared,
    membership: Mapping[int, Hashable],
    centred: np.ndarray,
) -> list[Theme]:
    """Theme objects for ``membership`` (comment index → group id), largest first.

    ``centred`` holds the members' centred vectors, row for row in ``membership``'s order.
    """
    indexes = list(membership)
    row_of = {index: row for row, index in enumerate(indexes)}
    labels = theme_labels(
        [comments[i].text for i in indexes],
        [prepared.languages[i] for i in indexes],
        [membership[i] for i in indexes],
    )
    by_group: dict[Hashable, list[int]] = {}
    for index in indexes:
        by_group.setdefault(membership[index], []).append(index)
    themes = []
    for group, members in by_group.items():
        rows = centred[[row_of[i] for i in members]]
        centroid = normalise(rows.mean(axis=0, keepdims=True))[0]
        order = np.argsort(-(rows @ centroid), kind="stable")[:QUOTES]
        themes.append(
            Theme(
                id=group,
                keys=[comments[i].key for i in members],
                label_da=labels[group]["da"],
                label_en=labels[group]["en"],
                quotes=[comments[members[j]].key for j in order],
                concept_sizes=_concept_sizes(comments, members),
                centroid=centroid,
            )
        )
    themes.sort(key=_order)
    empty = np.flatnonzero(prepared.empty)
    if len(empty):
        themes.append(_no_content_theme([comments[i] for i in empty]))
    return themes


def _order(theme: Theme) -> tuple:
    """Largest first; equal sizes by id (numbers before names)."""
    kind = (0, theme.id, "") if isinstance(theme.id, int) else (1, 0, str(theme.id))
    return (-len(theme.keys), *kind)


def _concept_sizes(comments: Sequence[Comment], members: Sequence[int]) -> dict[str, int]:
    return dict(Counter(comments[i].concept for i in members if comments[i].concept))


def _no_content_theme(members: Sequence[Comment] = ()) -> Theme:
    """The group of comments that say nothing; its quotes are its first members."""
    return Theme(
        id=NO_CONTENT_ID,
        keys=[c.key for c in members],
        label_da=NO_CONTENT_LABELS["da"],
        label_en=NO_CONTENT_LABELS["en"],
        quotes=[c.key for c in members[:QUOTES]],
        concept_sizes=dict(Counter(c.concept for c in members if c.concept)),
        no_content=True,
    )
