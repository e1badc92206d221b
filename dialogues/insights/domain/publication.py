"""What a campaign's results may show: its pools and their sums, and nothing finer.

``publish(campaign)`` counts in SQL (GROUP BY queries, one row per reporting group and
choice, never per answer), builds the pools of ``experiences.domain.pools`` and adds the counts
up per pool. The per-group counts are dropped once summed: every page, export and API reads a
``Publication``, which holds pool sums only, so nothing downstream can show a finer number.

The pools nest, so no two partitions cross: who answered (response rates) → each concept's
counts → its comments → its sensitive questions, each a coarsening of the one before with a
stricter minimum. Group interviews are pooled apart (a record of a group conversation, sized
by the people present) and can be added to the questionnaire's pools or shown alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum, TextField
from django.db.models.functions import Cast

from dialogues.experiences.domain.pools import Pool, Tree, build_pools, coarsen
from dialogues.experiences.models import Answer, Campaign, Response
from dialogues.organisation.models import Unit

QUESTIONNAIRE = Response.Source.QUESTIONNAIRE.value
INTERVIEW = Response.Source.INTERVIEW.value
SOURCES = (QUESTIONNAIRE, INTERVIEW)

# The minimum a level of detail needs, by the campaign's field that holds it.
LEVELS = {
    "counts": "count_minimum",
    "comments": "comment_minimum",
    "sensitive": "sensitive_minimum",
}


@dataclass
class PoolSums:
    """A pool and what is shown of it: its size and, per question, its choices counted."""

    pool: Pool
    source: str
    # The concept's respondents in the pool (interviews: the people present).
    size: int = 0
    # Plain dicts, not Counters: a cached publication holds some 25,000 of them, and a
    # Counter takes ten times longer to unpickle.
    choices: dict[int, dict[str, int]] = field(default_factory=dict)
    # Per question, how many answers have a written text (an open answer or a "why").
    comments: dict[int, int] = field(default_factory=dict)


@dataclass
class Publication:
    """Everything the results of one campaign may show, in pools."""

    campaign_id: int
    tree: Tree
    unit_names: dict[Hashable, str]
    questions: dict[int, dict]
    concepts: list[str]
    # Who answered, per pool of reporting groups: (pool, invited).
    response_pools: list[tuple[Pool, int]]
    # (concept, source, level) → the pools and their sums.
    pools: dict[tuple[str, str, str], list[PoolSums]]
    # Which pools each slice takes, worked out once per request (not kept in the cache).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self):
        return {**self.__dict__, "memo": {}}

    def families(self, concept: str, source: str, level: str) -> list[list[PoolSums]]:
        sources = SOURCES if source == "all" else (source,)
        return [self.pools.get((concept, one, level), []) for one in sources]


def _tree() -> tuple[Tree, dict]:
    rows = Unit.objects.values_list("pk", "parent_id", "name")
    return Tree({pk: parent for pk, parent, _ in rows}), {pk: name for pk, _, name in rows}


def _groups(campaign: Campaign):
    """Invited and answered per reporting group, from the invitee list (who, not what)."""
    rows = (
        campaign.invitees.exclude(reporting_unit=None)
        .values_list("reporting_unit", "reporting_role_group")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by()
    )
    invited = {(unit, role): count for unit, role, count, _ in rows}
    answered = {(unit, role): count for unit, role, _, count in rows}
    return invited, answered


def _response_sizes(campaign: Campaign) -> dict[tuple[str, str], dict]:
    """Per (concept, source): the size of each reporting group (interviews: people present)."""
    sizes: dict[tuple[str, str], dict] = defaultdict(dict)
    rows = (
        Response.objects.filter(campaign=campaign)
        .values_list("concept", "source", "reporting_unit", "reporting_role_group")
        .annotate(responses=Count("pk"), people=Sum("participants"))
        .order_by()
    )
    for concept, source, unit, role, responses, people in rows:
        sizes[(concept, source)][(unit, role)] = people if source == INTERVIEW else responses
    return sizes


@contextmanager
def _room_to_count():
    """On PostgreSQL, enough memory for the counting to hash its groups rather than sort them
    on disk (a campaign of 24,000 respondents has some 180,000 answers with a choice)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _answer_counts(campaign: Campaign) -> tuple[dict, dict]:
    """Per (concept, source) and reporting group, in one pass over the answers: the choices
    counted, ``{question: Counter(choice)}``, and ``Counter(question → answers with a text)``.
    """
    choices: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(Counter)))
    comments: dict = defaultdict(lambda: defaultdict(Counter))
    rows = (
        Answer.objects.filter(response__campaign=campaign)
        .exclude(choice="", text="")
        .values_list(
            "response__concept",
            "response__source",
            "response__reporting_unit",
            "response__reporting_role_group",
            "question_id",
            "choice",
        )
        .annotate(n=Count("pk"), written=Count("pk", filter=~Q(text="")))
        .order_by()
    )
    with _room_to_count():
        rows = list(rows)
    for concept, source, unit, role, question, choice, n, written in rows:
        if choice:
            choices[(concept, source)][(unit, role)][question][choice] += n
        if written:
            comments[(concept, source)][(unit, role)][question] += written
    return choices, comments


def _add(sums: PoolSums, size: int, choices: dict, comments: dict) -> None:
    sums.size += size
    for question, counts in choices.items():
        mine = sums.choices.get(question)
        if mine is None:
            sums.choices[question] = dict(counts)  # a copy: a part's counts stay its own
        else:
            for choice, count in counts.items():
                mine[choice] = mine.get(choice, 0) + count
    for question, count in comments.items():
        sums.comments[question] = sums.comments.get(question, 0) + count


def _sum(pools, source: str, sizes: dict, choices: dict, comments: dict) -> list[PoolSums]:
    """Each pool's sums over its reporting groups."""
    summed = []
    for pool in pools:
        sums = PoolSums(pool, source)
        for group in pool.groups:
            _add(sums, sizes.get(group, 0), choices.get(group, {}), comments.get(group, {}))
        summed.append(sums)
    return summed


def _sum_coarser(pools, source: str, finer: list[PoolSums]) -> list[PoolSums]:
    """Each pool's sums over the finer pools it is a union of (``coarsen`` cuts none), which
    is far less adding up than going back to the reporting groups."""
    part_of = {group: index for index, part in enumerate(finer) for group in part.pool.groups}
    summed = []
    for pool in pools:
        sums = PoolSums(pool, source)
        for index in sorted({part_of[group] for group in pool.groups}):
            part = finer[index]
            _add(sums, part.size, part.choices, part.comments)
        summed.append(sums)
    return summed


@dataclass(frozen=True)
class Minimums:
    counts: int
    comments: int
    sensitive: int

    @classmethod
    def of(cls, campaign: Campaign) -> Minimums:
        return cls(campaign.count_minimum, campaign.comment_minimum, campaign.sensitive_minimum)


def _levels(first: list[Pool], measures: list, tree: Tree, minimums: Minimums) -> dict:
    """Pools for counts, then coarser ones for comments and for sensitive questions."""
    counts = coarsen(first, measures, tree, minimums.counts)
    comments = coarsen(counts, measures, tree, minimums.comments)
    return {
        "counts": counts,
        "comments": comments,
        "sensitive": coarsen(comments, measures, tree, minimums.sensitive),
    }


@dataclass
class Tallies:
    """What was counted per reporting group: the input of ``assemble``, never shown."""

    invited: dict
    answered: dict
    # (concept, source) → {group: size}, {group: {question: Counter}}, {group: Counter}.
    sizes: dict
    choices: dict
    comments: dict


def assemble(
    *, campaign_id, tree: Tree, names: dict, snapshot: dict, concepts, minimums, tallies
) -> Publication:
    """The publication from per-group tallies: pools, then the sums over each pool."""
    responders = build_pools(tallies.answered, tree, minimums.counts)
    pools: dict[tuple[str, str, str], list[PoolSums]] = {}
    answered = {c: tallies.sizes.get((c, QUESTIONNAIRE), {}) for c in concepts}
    # A concept with fewer respondents than the minimum in all is not shown at all; the
    # others share one set of pools, so that who answered which concept is never split
    # finer for one concept than for the other (each respondent answered at least one).
    shown = [c for c in concepts if sum(answered[c].values()) >= minimums.counts]
    measures = [tallies.answered, *(answered[c] for c in shown)]
    shared = _levels(responders, measures, tree, minimums)
    for concept in concepts:
        for source in SOURCES:
            group_sizes = tallies.sizes.get((concept, source), {})
            if source == QUESTIONNAIRE:
                levels = shared if concept in shown else {}
            else:
                first = build_pools(group_sizes, tree, minimums.counts)
                levels = _levels(first, [group_sizes], tree, minimums)
            finer = None
            for level, level_pools in levels.items():  # each a coarsening of the one before
                if finer is None:
                    finer = _sum(
                        level_pools,
                        source,
                        group_sizes,
                        tallies.choices.get((concept, source), {}),
                        tallies.comments.get((concept, source), {}),
                    )
                else:
                    finer = _sum_coarser(level_pools, source, finer)
                pools[(concept, source, level)] = finer
    invited = tallies.invited
    return Publication(
        campaign_id=campaign_id,
        tree=tree,
        unit_names=names,
        questions={q["id"]: q for s in snapshot["sections"] for q in s["questions"]},
        concepts=list(concepts),
        response_pools=[(pool, sum(invited.get(g, 0) for g in pool.groups)) for pool in responders],
        pools=pools,
    )


def build_publication(campaign: Campaign) -> Publication:
    tree, names = _tree()
    invited, answered = _groups(campaign)
    choices, comments = _answer_counts(campaign)
    tallies = Tallies(
        invited=invited,
        answered=answered,
        sizes=_response_sizes(campaign),
        choices=choices,
        comments=comments,
    )
    snapshot = campaign.guide_version.snapshot if campaign.guide_version_id else {"sections": []}
    return assemble(
        campaign_id=campaign.pk,
        tree=tree,
        names=names,
        snapshot=snapshot,
        concepts=campaign.concepts,
        minimums=Minimums.of(campaign),
        tallies=tallies,
    )


def publish(campaign: Campaign) -> Publication:
    """The campaign's publication, cached until its responses change."""
    # The largest random key tells two sets of responses apart where a count would not
    # (a campaign of a restored or rebuilt database may have the same number and id).
    seen = Response.objects.filter(campaign=campaign).aggregate(
        count=Count("pk"),
        last=Max(Cast("pk", TextField())),  # PostgreSQL has no max(uuid)
    )
    key = f"insights:publication:{campaign.pk}:{campaign.status}:{seen['count']}:{seen['last']}"
    publication = cache.get(key)
    if publication is None:
        publication = build_publication(campaign)
        cache.set(key, publication, timeout=24 * 3600)
    return publication
