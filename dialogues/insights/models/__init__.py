from dialogues.insights.models.access import ApiToken, ExportLog
from dialogues.insights.models.comments import Redaction, Theme, ThemeAssignment, ThemeEdit

__all__ = ["ApiToken", "ExportLog", "Redaction", "Theme", "ThemeAssignment", "ThemeEdit"]
