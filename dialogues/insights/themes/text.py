"""Words of a comment: tokens, stopwords, the Danish→English glossary and the language.

Everything here is offline and deterministic. The word lists live in ``data/`` beside this
module, one file each, so that a linguist can extend them without touching code.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("da", "en")

# Letters of a word; hyphens and apostrophes inside a word keep it whole ("follow-up", "don't").
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_DANISH_LETTERS = re.compile(r"[æøå]")
# Endings that (nearly) only one of the two languages has; a weak hint for unknown words.
_DANISH_ENDINGS = ("ede", "ene", "erne", "hed", "lig", "ligt", "ning", "sk", "ikke")
_ENGLISH_ENDINGS = ("ing", "ings", "ly", "tion", "ed", "ous", "ful", "ness", "ment", "ity", "y")


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, apostrophes normalised."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def _read_words(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [w for line in lines if not line.startswith("#") for w in line.split()]


@cache
def stopwords(language: str) -> frozenset[str]:
    """Function words of ``language`` ("da" or "en"), left out of labels and lexical features."""
    return frozenset(_read_words(f"stopwords_{language}.txt"))


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer("danish" if language == "da" else "english")


@lru_cache(maxsize=200_000)  # comments repeat their words: most stems are looked up again
def stem(word: str, language: str) -> str:
    """The Snowball stem of ``word`` (one stem for "tiden", "tider", "tid")."""
    return _stemmer(language).stemWord(word)


@cache
def _glossary_pairs() -> tuple[tuple[str, str], ...]:
    """The (Danish, English) lines of ``data/glossary_da_en.txt``, lower-cased."""
    lines = (DATA / "glossary_da_en.txt").read_text(encoding="utf-8").splitlines()
    return tuple(
        tuple(part.strip().lower() for part in line.split("=", 1))
        for line in lines
        if "=" in line and not line.startswith("#")
    )


@cache
def glossary() -> dict[str, tuple[str, ...]]:
    """Danish word or stem → English stems, from ``data/glossary_da_en.txt``.

    Both the full Danish form and its stem are keys: the full form wins, so that a word whose
    stem is ambiguous ("kortene", the cards, against "kort", short) can be told apart.
    """
    table: dict[str, tuple[str, ...]] = {}
    by_stem: dict[str, tuple[str, ...]] = {}
    for danish, english in _glossary_pairs():
        stems = tuple(
            stem(w, "en") for w in words(english) if w not in stopwords("en") and len(w) > 1
        )
        table[danish] = stems
        by_stem.setdefault(stem(danish, "da"), stems)
    return {**by_stem, **table}


@cache
def _lexicon(language: str) -> frozenset[str]:
    """Words that show a language: its stopwords and its side of the glossary."""
    side = 0 if language == "da" else 1
    return frozenset(stopwords(language)) | {
        w for pair in _glossary_pairs() for w in words(pair[side])
    }


def detect_language(text: str) -> str:
    """Which of the two languages ``text`` is written in, "da" or "en" (a heuristic).

    Votes per word: a word only one language's lexicon knows counts 2, an æ/ø/å counts 3, a
    typical ending counts 1. Words both know ("feedback", "status") do not vote. A tie, or a
    text with no words ("-", "?"), is Danish: the organisation's own language.
    """
    danish_words, english_words = _lexicon("da"), _lexicon("en")
    score = 0  # > 0 means English
    for word in words(text):
        in_da, in_en = word in danish_words, word in english_words
        if _DANISH_LETTERS.search(word):
            score -= 3
        elif in_da and not in_en:
            score -= 2
        elif in_en and not in_da:
            score += 2
        elif not (in_da or in_en):
            if word.endswith(_DANISH_ENDINGS):
                score -= 1
            elif word.endswith(_ENGLISH_ENDINGS) or "w" in word or "th" in word:
                score += 1
    return "en" if score > 0 else "da"


def lexical_tokens(text: str, language: str) -> list[str]:
    """Content tokens for the lexical channel, Danish mapped to English stems where known.

    A Danish word in the glossary becomes its English stems, so that "opfølgning" and
    "follow-up" share a token; other Danish words stay as Danish stems (prefixed, so that they
    never collide with an English stem), which still ties Danish comments to each other.
    """
    table = glossary() if language == "da" else {}
    stop = stopwords(language)
    tokens: list[str] = []
    for word in words(text):
        if language == "da":
            mapped = table.get(word) or table.get(stem(word, "da"))
            if mapped is not None:
                tokens.extend(mapped)
                continue
        if word in stop or len(word) < 3:
            continue
        for part in word.split("-"):
            if part not in stop and len(part) > 1:
                tokens.append(stem(part, "en") if language == "en" else "da:" + stem(part, "da"))
    return tokens


# What an answer that says nothing is made of ("Nej, ikke rigtig.", "No comments", "n/a").
@cache
def _no_content_words() -> frozenset[str]:
    return frozenset(_read_words("no_content.txt"))


def is_no_content(text: str) -> bool:
    """Whether ``text`` says nothing: empty, punctuation, or only words like "no comments"."""
    found = words(text)
    if len(found) > 6:
        return False
    return all(w in _no_content_words() for w in found)
