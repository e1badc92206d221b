"""Themes in written comments, Danish and English together (an offline engine, no Django).

    from dialogues.insights.themes import Comment, find_themes
    themes = find_themes([Comment(key=1, text="Vi havde for lidt tid", concept="wellbeing"), ...])
    for theme in themes:
        theme.label_da, theme.label_en, theme.keys, theme.quotes, theme.concept_sizes

See docs/themes-benchmark.md for how well it groups and how fast it is.
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
