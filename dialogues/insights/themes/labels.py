"""Readable labels: the few words that set a theme apart, in each language (c-TF-IDF).

A word's weight in a theme is its frequency there times log(1 + average words per theme /
its frequency in all themes), as in BERTopic's class-based TF-IDF: frequent in the theme,
rare elsewhere. Labels are counted per language, so that the Danish label is made of Danish
words; a theme without comments in a language borrows the other language's label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache

import numpy as np

from dialogues.insights.themes.text import DATA, stem, stopwords, words

LABEL_WORDS = 3


@cache
def _label_stopwords() -> frozenset[str]:
    lines = (DATA / "label_stopwords.txt").read_text(encoding="utf-8").splitlines()
    extra = {w for line in lines if not line.startswith("#") for w in line.split()}
    return stopwords("da") | stopwords("en") | extra


def _label_words(text: str, language: str) -> list[str]:
    """Content words (at least 3 letters, no stopword of either language), hyphens kept."""
    stop = _label_stopwords()
    return [w for w in words(text) if len(w) >= 3 and w not in stop and not w.startswith("'")]


def _counts(
    texts: Sequence[str], groups: Sequence[int], language: str
) -> tuple[dict[int, Counter], dict[str, Counter]]:
    """Per group, how often each stem occurs; per stem, which surface form is most common."""
    per_group: dict[int, Counter] = {}
    surface: dict[str, Counter] = {}
    for text, group in zip(texts, groups, strict=True):
        seen = set()
        for word in _label_words(text, language):
            key = stem(word, language)
            surface.setdefault(key, Counter())[word] += 1
            if key not in seen:  # one vote per comment: a word repeated in one comment is noise
                seen.add(key)
                per_group.setdefault(group, Counter())[key] += 1
    return per_group, surface


def theme_labels(
    texts: Sequence[str], languages: Sequence[str], groups: Sequence[int]
) -> dict[int, dict[str, str]]:
    """For each group, ``{"da": "tid, travl, eksamensperiode", "en": "time, busy, exam"}``."""
    labels: dict[int, dict[str, str]] = {group: {} for group in set(groups)}
    for language in ("da", "en"):
        rows = [i for i, lang in enumerate(languages) if lang == language]
        per_group, surface = _counts([texts[i] for i in rows], [groups[i] for i in rows], language)
        totals: Counter = Counter()
        for counter in per_group.values():
            totals.update(counter)
        average = sum(totals.values()) / max(len(per_group), 1)
        for group, counter in per_group.items():
            # A word that only one comment uses is an anecdote, not a label: shared words first.
            scored = sorted(
                counter,
                key=lambda key: (
                    counter[key] < 2,
                    -counter[key] * np.log(1 + average / totals[key]),
                    key,
                ),
            )
            chosen = [surface[key].most_common(1)[0][0] for key in scored[:LABEL_WORDS]]
            labels[group][language] = ", ".join(chosen)
    for group_labels in labels.values():
        for language, other in (("da", "en"), ("en", "da")):
            group_labels.setdefault(language, group_labels.get(other, ""))
    return labels
