"""What a campaign's results may show: its pools and their sums, and nothing finer.

``publish(campaign)`` counts in SQL (three GROUP BY queries, one row per reporting group and
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
from dataclasses import dataclass, field

from django.core.cache import cache
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
    choices: dict[int, Counter] = field(default_factory=dict)
    # Per question, how many answers have a written text (an open answer or a "why").
    comments: Counter = field(default_factory=Counter)


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


def _choice_counts(campaign: Campaign) -> dict[tuple[str, str], dict]:
    """Per (concept, source) and reporting group: {question: Counter(choice)}."""
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(Counter)))
    rows = (
        Answer.objects.filter(response__campaign=campaign)
        .exclude(choice="")
        .values_list(
            "response__concept",
            "response__source",
            "response__reporting_unit",
            "response__reporting_role_group",
            "question_id",
            "choice",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for concept, source, unit, role, question, choice, n in rows:
        counts[(concept, source)][(unit, role)][question][choice] += n
    return counts


def _comment_counts(campaign: Campaign) -> dict[tuple[str, str], dict]:
    """Per (concept, source) and reporting group: Counter(question → answers with a text)."""
    counts: dict = defaultdict(lambda: defaultdict(Counter))
    rows = (
        Answer.objects.filter(response__campaign=campaign)
        .exclude(text="")
        .values_list(
            "response__concept",
            "response__source",
            "response__reporting_unit",
            "response__reporting_role_group",
            "question_id",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for concept, source, unit, role, question, n in rows:
        counts[(concept, source)][(unit, role)][question] += n
    return counts


def _sum(pools, source: str, sizes: dict, choices: dict, comments: dict) -> list[PoolSums]:
    summed = []
    for pool in pools:
        sums = PoolSums(pool, source, sum(sizes.get(group, 0) for group in pool.groups))
        for group in pool.groups:
            for question, counts in choices.get(group, {}).items():
                sums.choices.setdefault(question, Counter()).update(counts)
            sums.comments.update(comments.get(group, {}))
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
            for level, level_pools in levels.items():
                pools[(concept, source, level)] = _sum(
                    level_pools,
                    source,
                    group_sizes,
                    tallies.choices.get((concept, source), {}),
                    tallies.comments.get((concept, source), {}),
                )
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
    tallies = Tallies(
        invited=invited,
        answered=answered,
        sizes=_response_sizes(campaign),
        choices=_choice_counts(campaign),
        comments=_comment_counts(campaign),
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
