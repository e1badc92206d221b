from dialogues.insights.models.access import ApiToken, ExportLog
from dialogues.insights.models.comments import (
    AnswerVector,
    Redaction,
    Theme,
    ThemeAssignment,
    ThemeEdit,
)

__all__ = [
    "AnswerVector",
    "ApiToken",
    "ExportLog",
    "Redaction",
    "Theme",
    "ThemeAssignment",
    "ThemeEdit",
]
