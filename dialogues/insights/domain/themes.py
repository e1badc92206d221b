"""Themes of a question's written answers, kept in the database, and an analyst's edits.

The automatic grouping (``insights.themes``) runs once per question of a closed campaign,
over every written answer of both concepts, and is stored as ``Theme`` rows and one
``ThemeAssignment`` per answer. From then on only an analyst changes it: rename, merge, split,
move an answer. Each edit is one transaction with its ``ThemeEdit`` row, and nothing
automatic ever runs over it again, so the edits win in every page and report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from dialogues.experiences.models import Answer, Campaign
from dialogues.insights.models import AnswerVector, Theme, ThemeAssignment, ThemeEdit


class ThemeRefused(Exception):
    """The edit cannot be made; the message says why."""


def questions_with_texts(campaign: Campaign) -> list[int]:
    """The questions of the campaign that have written answers, in the guide's order."""
    having = set(
        Answer.objects.filter(response__campaign=campaign)
        .exclude(text="")
        .values_list("question_id", flat=True)
        .distinct()
    )
    order = [q["id"] for s in campaign.guide_version.snapshot["sections"] for q in s["questions"]]
    return [question for question in order if question in having]


EMBED_BATCH = 256
# Texts whose vectors one run remembers (about 1.5 KB each): people often write the same
# words ("Nej", "Ved ikke", "Nothing"), and the model gives the same text the same vector.
EMBED_MEMORY = 20_000


def embed_new_answers(limit: int | None = None, progress=None) -> int:
    """Embed the written answers that have no vector yet; returns how many were embedded.

    Embedding is the slow part of finding themes (10–40 ms a text on two cores), so the
    periodic job does it as answers arrive, and grouping at the close only reads vectors. A
    text met before in the same run is not embedded again.
    """
    from dialogues.insights.themes import is_no_content

    waiting = (
        Answer.objects.exclude(text="")
        .filter(vector__isnull=True)
        .order_by("pk")
        .values_list("pk", "text")
    )
    if limit is not None:
        waiting = waiting[:limit]
    done = 0
    batch = []
    known: dict[str, bytes] = {}
    for pk, text in waiting.iterator(chunk_size=EMBED_BATCH):
        if not is_no_content(text):
            batch.append((pk, text))
        if len(batch) == EMBED_BATCH:
            done += _store_vectors(batch, known)
            batch = []
            if progress:
                progress(done)
    if batch:
        done += _store_vectors(batch, known)
    return done


def _store_vectors(batch: list[tuple[int, str]], known: dict[str, bytes]) -> int:
    """Store a vector for each answer of ``batch``, embedding only the texts not ``known``."""
    from dialogues.insights.themes import embed, to_bytes

    new = list(dict.fromkeys(text for _, text in batch if text not in known))
    fresh = dict(zip(new, (to_bytes(v) for v in embed(new)), strict=True)) if new else {}
    for text, vector in fresh.items():
        if len(known) < EMBED_MEMORY:
            known[text] = vector
    AnswerVector.objects.bulk_create(
        [AnswerVector(answer_id=pk, vector=known.get(text) or fresh[text]) for pk, text in batch],
        ignore_conflicts=True,
    )
    return len(batch)


def ensure_themes(campaign: Campaign, question_id: int) -> bool:
    """Group the question's written answers once; True if this call stored the grouping.

    Stored vectors are used (``embed_new_answers``); the answers without one are embedded
    here and their vectors kept. The grouping runs outside any transaction (it takes
    seconds, and SQLite would hold every other writer that long); only storing it is one
    short transaction, which checks again that nobody stored a grouping meanwhile.
    """
    if Theme.objects.filter(campaign=campaign, question_id=question_id).exists():
        return False
    from dialogues.insights.themes import Comment, find_themes, from_bytes, to_bytes

    rows = list(
        Answer.objects.filter(response__campaign=campaign, question_id=question_id)
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", "text", "response__concept", "vector__vector")
    )
    if not rows:
        return False
    comments = [Comment(key=pk, text=text, concept=concept) for pk, text, concept, _ in rows]
    vectors = [from_bytes(vector) if vector else None for *_, vector in rows]
    found = find_themes(comments, vectors=vectors, seed=0)
    with transaction.atomic():
        # One writer at a time per campaign: a second caller waits, then finds the themes.
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Theme.objects.filter(campaign=campaign, question_id=question_id).exists():
            return False
        AnswerVector.objects.bulk_create(
            [AnswerVector(answer_id=key, vector=to_bytes(v)) for key, v in found.computed.items()],
            ignore_conflicts=True,
            batch_size=1000,
        )
        for theme in found:
            row = Theme.objects.create(
                campaign=campaign,
                question_id=question_id,
                label_da=theme.label_da[:200],
                label_en=theme.label_en[:200],
                no_content=bool(getattr(theme, "no_content", False)),
                quotes=[str(key) for key in theme.quotes],
            )
            ThemeAssignment.objects.bulk_create(
                [ThemeAssignment(answer_id=key, theme=row) for key in theme.keys],
                batch_size=1000,
            )
    return True


# Up to this many written answers, a page groups them itself; more wait for the background.
GROUP_WHILE_WAITING = 200


def themes_ready(campaign: Campaign, question_id: int) -> bool:
    """Whether the question's themes exist, grouping a small question at once and handing a
    large one to the task worker (and the periodic ``find_themes``) so no page waits on it."""
    if Theme.objects.filter(campaign=campaign, question_id=question_id).exists():
        return True
    count = (
        Answer.objects.filter(response__campaign=campaign, question_id=question_id)
        .exclude(text="")
        .count()
    )
    if count <= GROUP_WHILE_WAITING:
        ensure_themes(campaign, question_id)
        return True
    from django.core.cache import cache

    from dialogues.insights.tasks import find_themes_task

    # Once per question every ten minutes, however many people open the page meanwhile.
    if cache.add(f"insights:grouping:{campaign.pk}:{question_id}", True, timeout=600):
        find_themes_task.enqueue(campaign.pk, question_id)
    return Theme.objects.filter(campaign=campaign, question_id=question_id).exists()


def live_themes(campaign: Campaign, question_id: int) -> list[Theme]:
    """The question's themes that are not merged away, the no-content group last."""
    return list(
        Theme.objects.filter(campaign=campaign, question_id=question_id, merged_into=None).order_by(
            "no_content", "pk"
        )
    )


@dataclass
class ThemeSummary:
    theme: Theme
    sizes: dict[str, int] = field(default_factory=dict)  # per concept, in the slice
    quotes: list = field(default_factory=list)  # WrittenAnswer, readable ones only

    @property
    def size(self) -> int:
        return sum(self.sizes.values())


def summaries(themes: list[Theme], answers, quotes: int = 3) -> list[ThemeSummary]:
    """Each theme's size per concept and its quotes, among ``answers`` (a slice's)."""
    by_theme = {theme.pk: ThemeSummary(theme) for theme in themes}
    members: dict[int, list] = {theme.pk: [] for theme in themes}
    for answer in answers:
        if answer.theme_id in by_theme:
            summary = by_theme[answer.theme_id]
            summary.sizes[answer.concept] = summary.sizes.get(answer.concept, 0) + 1
            members[answer.theme_id].append(answer)
    for theme in themes:
        readable = [answer for answer in members[theme.pk] if answer.readable]
        central = {key: rank for rank, key in enumerate(theme.quotes)}
        readable.sort(key=lambda answer: central.get(str(answer.id), len(central)))
        by_theme[theme.pk].quotes = _distinct(readable, quotes)
    ranked = [by_theme[theme.pk] for theme in themes if by_theme[theme.pk].size]
    return sorted(ranked, key=lambda summary: (summary.theme.no_content, -summary.size))


def _distinct(answers, count: int) -> list:
    """The first ``count`` answers whose texts differ (people often write the same words)."""
    seen, chosen = set(), []
    for answer in answers:
        key = " ".join(answer.text.casefold().split()).strip(".! ")
        if key not in seen:
            seen.add(key)
            chosen.append(answer)
        if len(chosen) == count:
            break
    return chosen


# --- an analyst's edits ---------------------------------------------------------------------


def _record(theme: Theme, action: str, by, **details) -> None:
    ThemeEdit.objects.create(
        campaign_id=theme.campaign_id,
        question_id=theme.question_id,
        action=action,
        details=details,
        by=by,
    )


def rename(theme: Theme, label_da: str, label_en: str, by) -> None:
    label_da, label_en = label_da.strip(), label_en.strip()
    if not label_da and not label_en:
        raise ThemeRefused(_("Give the theme a name in at least one language."))
    with transaction.atomic():
        before = {"da": theme.label_da, "en": theme.label_en}
        theme.label_da = label_da or label_en
        theme.label_en = label_en or label_da
        theme.renamed = True
        theme.save(update_fields=["label_da", "label_en", "renamed"])
        _record(theme, ThemeEdit.Action.RENAME, by, before=before, after=[label_da, label_en])


def merge(target: Theme, others: list[Theme], by) -> int:
    """Move every answer of ``others`` into ``target``; returns how many moved."""
    others = [other for other in others if other.pk != target.pk]
    if not others:
        raise ThemeRefused(_("Choose at least one other theme to merge into this one."))
    if any(
        o.campaign_id != target.campaign_id or o.question_id != target.question_id for o in others
    ):
        raise ThemeRefused(_("Only themes of the same question can be merged."))
    with transaction.atomic():
        moved = ThemeAssignment.objects.filter(theme__in=others).update(theme=target, by_hand=True)
        Theme.objects.filter(pk__in=[o.pk for o in others]).update(merged_into=target)
        _record(
            target,
            ThemeEdit.Action.MERGE,
            by,
            into=target.pk,
            merged=[{"id": o.pk, "label": str(o)} for o in others],
            moved=moved,
        )
    return moved


def split(theme: Theme, answer_ids, label_da: str, label_en: str, by) -> Theme:
    """A new theme holding the chosen answers of ``theme``."""
    chosen = ThemeAssignment.objects.filter(theme=theme, answer_id__in=list(answer_ids))
    if not chosen.exists():
        raise ThemeRefused(_("Choose the answers that belong in the new theme."))
    if not label_da.strip() and not label_en.strip():
        raise ThemeRefused(_("Give the theme a name in at least one language."))
    with transaction.atomic():
        new = Theme.objects.create(
            campaign_id=theme.campaign_id,
            question_id=theme.question_id,
            label_da=(label_da or label_en).strip(),
            label_en=(label_en or label_da).strip(),
            automatic=False,
            renamed=True,
        )
        moved = chosen.update(theme=new, by_hand=True)
        _record(theme, ThemeEdit.Action.SPLIT, by, new=new.pk, label=str(new), moved=moved)
    return new


def move(answer_id, theme: Theme, by) -> None:
    """Put one answer in ``theme`` by hand (qualitative coding)."""
    with transaction.atomic():
        assignment = ThemeAssignment.objects.select_for_update().filter(answer_id=answer_id).first()
        if assignment is None:
            if not Answer.objects.filter(
                pk=answer_id, response__campaign_id=theme.campaign_id, question_id=theme.question_id
            ).exists():
                raise ThemeRefused(_("That answer is not one of this question's."))
            ThemeAssignment.objects.create(answer_id=answer_id, theme=theme, by_hand=True)
            before = None
        else:
            if assignment.theme.question_id != theme.question_id:
                raise ThemeRefused(_("That answer is not one of this question's."))
            before = assignment.theme_id
            assignment.theme, assignment.by_hand = theme, True
            assignment.save(update_fields=["theme", "by_hand"])
        _record(theme, ThemeEdit.Action.TAG, by, answer=str(answer_id), before=before, to=theme.pk)


def counts_by_theme(themes: list[Theme], answers) -> Counter:
    return Counter(answer.theme_id for answer in answers if answer.theme_id is not None)
