"""Content kept in both languages as pairs of fields (``purpose_da``, ``purpose_en``)."""

from django.utils.translation import get_language

LANGUAGE_CODES = ("da", "en")


def in_language(obj, name: str, language: str | None = None) -> str:
    """The text in the active language, falling back to the other one if it is empty."""
    language = (language or get_language() or "da")[:2]
    order = [language] + [code for code in LANGUAGE_CODES if code != language]
    for code in order:
        value = getattr(obj, f"{name}_{code}", "")
        if value:
            return value
    return ""


class Translated:
    """Descriptor: ``concept.purpose`` reads ``purpose_da`` or ``purpose_en``."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return in_language(obj, self.name)
