"""Written answers that could identify someone: flagged for HR before any quote is shown.

A name of someone in the organisation, an e-mail address, a phone number or a Danish CPR
number is flagged; so is anything HR marks by hand. A flag does not say the answer identifies
anyone, only that a person should read it first: until HR has redacted it, withheld it or
cleared it, it reaches no reader but HR and no report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Eight digits, grouped or not, with or without +45: Danish phone numbers.
PHONE = re.compile(r"(?<!\d)(?:\+45[\s-]?)?(?:\d[\s-]?){7}\d(?!\d)")
CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)

KINDS = {
    "name": _("a name"),
    "email": _("an e-mail address"),
    "phone": _("a phone number"),
    "cpr": _("a CPR number"),
}

# Given names that are also everyday words, in either language: flagged only with a surname.
COMMON_WORDS = frozenset(
    {
        "per",
        "bo",
        "ask",
        "bent",
        "birk",
        "dag",
        "elin",
        "emil",
        "finn",
        "flemming",
        "frank",
        "glad",
        "gry",
        "hans",
        "ib",
        "jan",
        "kim",
        "lone",
        "lis",
        "mark",
        "may",
        "max",
        "ole",
        "rie",
        "sten",
        "sune",
        "tage",
        "tom",
        "vera",
        "will",
        "april",
        "august",
        "dan",
        "hope",
        "grace",
        "faith",
        "joy",
        "rose",
        "victor",
        "case",
        "",
    }
)


@dataclass(frozen=True)
class Flag:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def organisation_names() -> tuple[frozenset, frozenset]:
    """(full names, single names worth flagging) of everyone in the organisation, lower case.

    Read on each call (one query for the names): a name added by today's import is flagged
    at once, and the sets are only rebuilt when the names have changed.
    """
    from dialogues.organisation.models import Person

    return _names_from(tuple(Person.objects.order_by("pk").values_list("name", flat=True)))


@lru_cache(maxsize=4)
def _names_from(people: tuple[str, ...]) -> tuple[frozenset, frozenset]:
    full, single = set(), set()
    for name in people:
        parts = [part.lower() for part in WORD.findall(name or "")]
        if len(parts) >= 2:
            full.add(" ".join(parts))
        single.update(part for part in parts if len(part) >= 3 and part not in COMMON_WORDS)
    return frozenset(full), frozenset(single)


def flags(text: str, names: tuple[frozenset, frozenset] | None = None) -> list[Flag]:
    """What in ``text`` may identify someone, in order of appearance."""
    full, single = names if names is not None else organisation_names()
    found = [Flag("email", m.start(), m.end(), m.group()) for m in EMAIL.finditer(text)]
    taken = [(flag.start, flag.end) for flag in found]
    for kind, pattern in (("cpr", CPR), ("phone", PHONE)):
        for match in pattern.finditer(text):
            if not _overlaps(match.start(), match.end(), taken):
                found.append(Flag(kind, match.start(), match.end(), match.group()))
                taken.append((match.start(), match.end()))
    found += _names(text, full, single, taken)
    return sorted(found, key=lambda flag: flag.start)


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _names(text: str, full: frozenset, single: frozenset, taken) -> list[Flag]:
    words = list(WORD.finditer(text))
    found = []
    index = 0
    while index < len(words):
        word = words[index]
        if _overlaps(word.start(), word.end(), taken):
            index += 1
            continue
        # A first name and a surname together: the strongest sign.
        if index + 1 < len(words):
            following = words[index + 1]
            pair = f"{word.group().lower()} {following.group().lower()}"
            # Written as a name: each part capitalised ("HR partner" is a role, not a name).
            if pair in full and word.group()[0].isupper() and following.group()[0].isupper():
                end = words[index + 1].end()
                found.append(Flag("name", word.start(), end, text[word.start() : end]))
                index += 2
                continue
        # One capitalised name of someone here (written in lower case it is usually a word:
        # "skov", "holm"); at the start of a sentence too, as "Mikkel listened" is common.
        token = word.group()
        lowered = token.lower()
        if token[0].isupper() and lowered in single and lowered not in COMMON_WORDS:
            found.append(Flag("name", word.start(), word.end(), token))
        index += 1
    return found


def suggested_redaction(text: str, found: list[Flag]) -> str:
    """``text`` with each flagged part replaced by a neutral mark ("[name]")."""
    marks = {"name": "[name]", "email": "[e-mail]", "phone": "[phone]", "cpr": "[CPR]"}
    pieces, position = [], 0
    for flag in sorted(found, key=lambda flag: flag.start):
        if flag.start < position:
            continue
        pieces += [text[position : flag.start], marks[flag.kind]]
        position = flag.end
    pieces.append(text[position:])
    return "".join(pieces)
