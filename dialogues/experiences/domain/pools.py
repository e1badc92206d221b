"""Publication pools: the only groups a summary ever shows a number for (docs/anonymity.md).

A campaign's answers carry a reporting group (unit, role group). A *pool* is a set of whole
reporting groups, reported at one *home* unit under one role group (or "all"). Every number a
page, an export or the API shows is a sum over whole pools, and every pool holds either nobody
or at least the minimum. So the difference of any two numbers shown, for any two filters, is
again a sum of whole pools: it is 0 or at least the minimum, and no subtraction singles out a
group under it. This is complementary suppression done once, by construction, instead of cell
by cell after the fact; ``insights/tests/test_disclosure_audit.py`` checks it with linear
programming.

Pools are built from *atoms*, each a set of reporting groups with a home, a role group and a
size, unit by unit from the deepest (``build_pools``):

1. an atom of at least the minimum is a pool on its own;
2. the smaller atoms of one role group at a unit are merged; when together they reach the
   minimum they become one pool there, otherwise they travel up to the parent, keeping their
   role group (the way ``experiences.domain.anonymity.reporting_groups`` places invitees).
   An empty atom travels too: a unit without a pool of its own then says only "fewer than
   the minimum, perhaps none", never "some, but fewer";
3. at a root, what is still too small is merged across role groups into one "all" pool, and
   if that is short, the smallest pools already made below the root are pulled into it. If
   the whole tree is short, it becomes one pool that is never shown (``shown`` is false).

Stricter minimums *coarsen* the pools of a lower one (``coarsen``): pools for comments are
unions of the pools for counts, so that the two partitions never cut across each other (two
partitions that cross let a subtraction isolate their intersection).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from dialogues.experiences.rolegroups import ALL_ROLE_GROUPS

# A reporting group: (unit pk, role group).
Group = tuple[Hashable, str]


@dataclass(frozen=True)
class Pool:
    """Whole reporting groups, shown together at ``unit`` under ``role_group``.

    ``sizes`` holds one count per measure the pool was built for (who answered, then each
    concept's respondents); ``size`` is the first.
    """

    unit: Hashable
    role_group: str
    groups: frozenset[Group]
    sizes: tuple[int, ...]
    shown: bool = True

    @property
    def size(self) -> int:
        return self.sizes[0]


@dataclass(frozen=True)
class _Atom:
    unit: Hashable
    role_group: str
    groups: frozenset[Group]
    sizes: tuple[int, ...]

    @property
    def size(self) -> int:
        return self.sizes[0]


def _sound(sizes: tuple[int, ...], minimum: int) -> bool:
    """Someone is in it, and each count is 0 or at least the minimum."""
    return any(sizes) and all(size == 0 or size >= minimum for size in sizes)


class Tree:
    """The unit tree as parent links, with each unit's depth and root."""

    def __init__(self, parent_of: Mapping[Hashable, Hashable | None]):
        self.parent_of = dict(parent_of)
        self.depth: dict[Hashable, int] = {}
        self.root_of: dict[Hashable, Hashable] = {}
        self._lineages: dict[Hashable, frozenset] = {}
        for unit in self.parent_of:
            self._place(unit)

    def _place(self, unit) -> None:
        chain = []
        node = unit
        while node is not None and node not in self.depth:
            chain.append(node)
            node = self.parent_of.get(node)
        depth, root = (-1, None) if node is None else (self.depth[node], self.root_of[node])
        for member in reversed(chain):
            depth += 1
            root = member if root is None else root
            self.depth[member], self.root_of[member] = depth, root

    def lineage(self, unit) -> frozenset:
        """``unit`` and every unit above it."""
        found = self._lineages.get(unit)
        if found is None:
            parent = self.parent_of.get(unit)
            above = self.lineage(parent) if parent is not None else frozenset()
            found = self._lineages[unit] = above | {unit}
        return found

    def is_within(self, unit, ancestor) -> bool:
        return ancestor in self.lineage(unit)


def _measures(sizes) -> list[Mapping[Group, int]]:
    return list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]


def build_pools(sizes, tree: Tree, minimum: int) -> list[Pool]:
    """Pools over reporting groups from ``{(unit, role group): size}`` (or a list of such
    mappings, one per measure: a pool must then hold 0 or the minimum in each)."""
    measures = _measures(sizes)
    groups = sorted({group for measure in measures for group in measure}, key=str)
    atoms = [
        _Atom(
            unit, role, frozenset({(unit, role)}), tuple(m.get((unit, role), 0) for m in measures)
        )
        for unit, role in groups
    ]
    return _pool(atoms, tree, minimum)


def coarsen(pools: Iterable[Pool], sizes, tree: Tree, minimum: int) -> list[Pool]:
    """Pools each a union of ``pools``, sized by ``sizes`` (a mapping or a list of them), that
    meet ``minimum`` in every measure: never cutting across the pools they are made of."""
    measures = _measures(sizes)
    atoms = [
        _Atom(
            pool.unit,
            pool.role_group,
            pool.groups,
            tuple(sum(m.get(g, 0) for g in pool.groups) for m in measures),
        )
        for pool in pools
    ]
    return _pool(atoms, tree, minimum)


def _merge(atoms: list[_Atom], unit, role_group: str) -> _Atom:
    return _Atom(
        unit,
        role_group,
        frozenset().union(*(atom.groups for atom in atoms)),
        tuple(map(sum, zip(*(atom.sizes for atom in atoms), strict=True))),
    )


def _pool(atoms: list[_Atom], tree: Tree, minimum: int) -> list[Pool]:
    minimum = max(int(minimum), 1)
    waiting: dict[Hashable, dict[str, list[_Atom]]] = defaultdict(lambda: defaultdict(list))
    for atom in atoms:
        waiting[atom.unit][atom.role_group].append(atom)
    kept: list[_Atom] = []
    hidden: list[_Atom] = []
    order = sorted(tree.depth, key=lambda unit: (-tree.depth[unit], str(unit)))
    for unit in order:
        by_role = waiting.pop(unit, None)
        if not by_role:
            continue
        short: list[_Atom] = []
        for role_group in sorted(by_role):
            small = []
            for atom in by_role[role_group]:
                if _sound(atom.sizes, minimum):
                    kept.append(atom)
                else:
                    small.append(atom)
            if not small:
                continue
            merged = _merge(small, unit, role_group)
            if _sound(merged.sizes, minimum):
                kept.append(merged)
            else:
                short.append(merged)
        parent = tree.parent_of.get(unit)
        if parent is not None:
            for atom in short:
                waiting[parent][atom.role_group].append(atom)
        elif short:
            kept, short_tree = _close_root(unit, short, kept, tree, minimum)
            hidden.extend(short_tree)
    return [Pool(a.unit, a.role_group, a.groups, a.sizes) for a in kept] + [
        Pool(a.unit, a.role_group, a.groups, a.sizes, shown=False) for a in hidden
    ]


def _close_root(root, short: list[_Atom], kept: list[_Atom], tree: Tree, minimum: int):
    """Merge a root's leftovers into one "all" pool, pulling in the smallest pools if short."""
    merged = _merge(short, root, ALL_ROLE_GROUPS)
    if not any(merged.sizes):
        # Nobody in what is left: an empty pool tells nothing, so it is shown (as 0).
        return [*kept, merged], []
    below = sorted(
        (atom for atom in kept if tree.root_of.get(atom.unit) == root),
        # Smallest first; of equal size, the shallowest, so that deeper detail survives.
        key=lambda atom: (atom.size, tree.depth[atom.unit], str(atom.unit), atom.role_group),
    )
    pulled = []
    for atom in below:
        if _sound(merged.sizes, minimum):
            break
        pulled.append(atom)
        merged = _merge([merged, atom], root, ALL_ROLE_GROUPS)
    rest = [atom for atom in kept if atom not in pulled]
    if _sound(merged.sizes, minimum):
        return [*rest, merged], []
    # The whole tree is short: one pool that no page may show.
    return rest, [merged]
