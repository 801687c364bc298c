"""Rings of accounts that trade among themselves (刷单团伙), found with networkx.

The method, on the trades of the scoring window:

1. A directed graph of accounts: an edge buyer → owner of the shop bought
   from, weighted by the number of orders, kept only when the buyer bought
   there at least ``min_edge_orders`` times (repeat trading: a one-off
   purchase between two sellers is ordinary commerce). Only accounts that
   both buy and sell can sit on a cycle.
2. Strongly connected components (every member reaches every other by
   following purchases) of two or more accounts are candidate rings.
3. A component that fails the test below, or is larger than
   ``max_component`` accounts (a marketplace, not a ring), is split into
   communities (Louvain modularity on the undirected, order-weighted graph,
   fixed seed), and the strongly connected parts of each community are
   tested instead — a ring whose members also shop honestly sits inside a
   bigger component.
4. A candidate is a ring when it is inward-looking (≥ ``min_share`` of its
   members' purchases are inside it) and busy (≥ ``min_orders_per_member``
   orders per member inside it). Honest sellers who buy widely are not
   inward-looking; two who now and then buy from each other are not busy.
   (Its density — edges over the k(k−1) possible — is reported, not tested:
   a plain cycle A → B → C → A is the classic ring and is sparse.)

A trade is a ring trade when its buyer and its shop's owner are in the same
ring; the evidence names the ring's size, its orders, its share and one cycle
through the trade (the shortest path back from the owner to the buyer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class RingRules:
    max_component: int = 12
    min_edge_orders: int = 2
    min_share: float = 0.4
    min_orders_per_member: float = 2.0


@dataclass(frozen=True)
class Ring:
    members: frozenset[int]
    orders: int
    share: float
    density: float


class Rings:
    """The rings found in a trade graph, and the cycle through a trade."""

    def __init__(self, graph: nx.DiGraph, rings: list[Ring]):
        self.graph = graph
        self.rings = rings
        self._of: dict[int, Ring] = {}
        for ring in rings:
            for member in ring.members:
                self._of[member] = ring

    def members(self) -> set[int]:
        return set(self._of)

    def shared(self, buyer_id: int, owner_id: int) -> Ring | None:
        ring = self._of.get(buyer_id)
        return ring if ring is not None and owner_id in ring.members else None

    def cycle(self, ring: Ring, buyer_id: int, owner_id: int) -> list[int]:
        """buyer → owner → … → buyer, inside the ring."""
        back = nx.shortest_path(self.graph.subgraph(ring.members), owner_id, buyer_id)
        return [buyer_id, *back]


def find_rings(
    edges: Mapping[tuple[int, int], int],
    purchases: Mapping[int, int],
    rules: RingRules = RingRules(),
) -> Rings:
    """``edges``: (buyer id, owner id) → orders; ``purchases``: buyer id → all
    their orders in the window. Returns the rings (see the module docstring)."""
    graph = nx.DiGraph()
    for (buyer, owner), n in edges.items():
        if buyer != owner and n >= rules.min_edge_orders:
            graph.add_edge(buyer, owner, weight=n)
    rings: list[Ring] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) >= 2:
            _search(graph, component, purchases, rules, rings, depth=0)
    return Rings(graph, rings)


MAX_DEPTH = 4


def _search(graph, members, purchases, rules, found: list[Ring], *, depth: int) -> None:
    """Test a strongly connected group; if it is no ring, split it into
    communities and test their strongly connected parts, a few levels deep."""
    if len(members) <= rules.max_component:
        ring = _ring(graph, members, purchases, rules)
        if ring is not None:
            found.append(ring)
            return
    if len(members) < 3 or depth >= MAX_DEPTH:
        return
    undirected = graph.subgraph(members).to_undirected()
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=7)
    if len(communities) < 2:
        return
    for community in communities:
        for part in nx.strongly_connected_components(graph.subgraph(community)):
            if len(part) >= 2:
                _search(graph, part, purchases, rules, found, depth=depth + 1)


def _ring(
    graph: nx.DiGraph, members: set[int], purchases: Mapping[int, int], rules: RingRules
) -> Ring | None:
    sub = graph.subgraph(members)
    k = len(members)
    inside = int(sub.size(weight="weight"))
    bought = sum(purchases.get(m, 0) for m in members) or inside
    density = sub.number_of_edges() / (k * (k - 1))
    share = inside / bought if bought else 0.0
    if share >= rules.min_share and inside >= rules.min_orders_per_member * k:
        return Ring(frozenset(members), inside, share, density)
    return None
