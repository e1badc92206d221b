"""Themes in written comments, Danish and English together (an offline engine, no Django).

    from dialogues.insights.themes import Comment, find_themes, to_bytes

    found = find_themes([Comment(key=answer.pk, text=answer.text, concept="wellbeing"), ...])
    for theme in found:  # largest first, the no-content group (if any) last
        theme.id, theme.label_da, theme.label_en, theme.keys, theme.quotes, theme.concept_sizes
    kept = {key: to_bytes(vector) for key, vector in found.computed.items()}  # store these

Pass kept vectors back (``find_themes(comments, vectors=[from_bytes(b) if b else None, ...])``) and
only the comments without one are embedded. After an analyst's edits,
``themes_from_groups(comments, {key: theme_id}, vectors=...)`` rebuilds labels, quotes and
centroids for their grouping, and its ``assign(new_comments)`` puts later comments in the
nearest theme. See docs/themes-benchmark.md for how well it groups and how fast it is.
"""

from dialogues.insights.themes.embedding import embed, from_bytes, stack, to_bytes
from dialogues.insights.themes.engine import (
    NO_CONTENT_ID,
    Comment,
    Theme,
    ThemeSet,
    find_themes,
    themes_from_groups,
)
from dialogues.insights.themes.text import detect_language, is_no_content

__all__ = [
    "NO_CONTENT_ID",
    "Comment",
    "Theme",
    "ThemeSet",
    "detect_language",
    "embed",
    "find_themes",
    "from_bytes",
    "is_no_content",
    "stack",
    "themes_from_groups",
    "to_bytes",
]
