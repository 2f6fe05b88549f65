"""Node positions for the actor graph: networkx's spring layout on the backbone, cached.

A spring layout of thousands of nodes takes seconds to minutes (networkx's force
method is quadratic per iteration), so only the ``BACKBONE`` best-connected actors
are laid out by ``spring_layout``; every other actor is placed next to its strongest
already-placed neighbour (breadth first), and actors without relations on an outer
spiral. Positions are cached in the project (``project_meta``) and reused: a new actor
is placed near its neighbours without moving the others, so the picture stays stable
between sessions and filter changes never move a node. Qt-free.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.store import Project

BACKBONE = 150
CACHE_KEY = "actor_graph_layout"
Pos = dict[int, tuple[float, float]]


def spring_positions(nodes: Iterable[int], weights: Mapping[tuple[int, int], float], *,
                     cached: Pos | None = None, seed: int = 7) -> Pos:
    """Positions in about [-1, 1]^2 for ``nodes``; ``cached`` ones are kept as they are."""
    import networkx as nx

    nodes = list(dict.fromkeys(nodes))
    adj: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), w in weights.items():
        if a != b:
            adj[a][b] = adj[a].get(b, 0.0) + w
            adj[b][a] = adj[b].get(a, 0.0) + w
    pos: Pos = {n: cached[n] for n in nodes if cached and n in cached}
    if len(pos) < max(3, len(nodes) // 2):  # mostly new: lay the backbone out afresh
        strength = {n: sum(adj[n].values()) for n in nodes}
        core = [n for n in sorted(nodes, key=lambda n: (-strength[n], n)) if strength[n] > 0][:BACKBONE]
        if core:
            g = nx.Graph()
            g.add_nodes_from(core)
            members = set(core)
            for a in core:
                for b, w in adj[a].items():
                    if b in members:
                        g.add_edge(a, b, weight=math.log1p(w))
            fixed = [n for n in core if n in pos] or None
            laid = nx.spring_layout(g, seed=seed, pos=pos or None, fixed=fixed, iterations=50)
            pos.update({n: (float(x), float(y)) for n, (x, y) in laid.items()})
    _place_rest(nodes, adj, pos)
    return pos


def _place_rest(nodes: list[int], adj: Mapping[int, Mapping[int, float]], pos: Pos) -> None:
    """Breadth first from placed nodes: each next to its strongest placed neighbour."""
    frontier = [n for n in nodes if n in pos]
    wanted = set(nodes)
    while frontier:
        nxt = []
        for p in frontier:
            for n, _w in sorted(adj.get(p, {}).items(), key=lambda kv: -kv[1]):
                if n in pos or n not in wanted:
                    continue
                best = max((m for m in adj[n] if m in pos), key=lambda m: adj[n][m])
                x, y = pos[best]
                angle = (n * 2.399963) % (2 * math.pi)  # golden angle: neighbours spread out
                r = 0.04 + 0.03 * ((n * 7919) % 5) / 5
                pos[n] = (x + r * math.cos(angle), y + r * math.sin(angle))
                nxt.append(n)
        frontier = nxt
    rest = [n for n in nodes if n not in pos]
    for i, n in enumerate(rest):  # actors with no relation: a spiral around the picture
        angle = i * 2.399963
        r = 1.15 + 0.35 * math.sqrt(i / max(1, len(rest)))
        pos[n] = (r * math.cos(angle), r * math.sin(angle))


def load_cached(project: Project) -> Pos:
    raw = project.meta_value(CACHE_KEY)
    if not raw:
        return {}
    try:
        return {int(k): (float(v[0]), float(v[1])) for k, v in json.loads(raw).items()}
    except (ValueError, TypeError, IndexError, AttributeError):
        return {}  # a broken cache is only a cache: lay out again


def save_cached(project: Project, pos: Pos) -> None:
    project.set_meta_value(CACHE_KEY, json.dumps({str(k): [round(x, 5), round(y, 5)]
                                                  for k, (x, y) in pos.items()}))
