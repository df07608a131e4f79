"""The enumerative program search: ``search_task`` finds programs that reproduce every demonstration.

A **state** is the tuple of grids obtained by applying the same primitives to every input of the task
(demonstration inputs first, then test inputs). The search runs level by level (level d holds the states
reached by d primitives):

1. Check the state: a program whose demonstration grids equal the outputs, directly or after a fitter
   (``registry.FITTERS``) learned as a last step, is a candidate; its test grids are its answers.
2. Expand states of the current level in order of promise (demonstration grids with the outputs' sizes,
   colours and cells first, then discovery order), each distinct state once, while the budget
   (``cfg.max_states`` expanded states per search view, a count) lasts. Children that leave every
   demonstration grid unchanged, that are invalid, or that were seen before are dropped.
3. On the last level children are only checked, never stored; their test grids are computed only for
   a child that fits, which keeps the widest level cheap. A child's demonstration grids are made one at a
   time and tested against each fitter's per-pair gate (``registry.FITTER_GATES``) as they come: a fitter
   whose gate failed a pair is never called, and on the last level a child is dropped as soon as no fitter
   and no piece (``pieces.py``) can use it (it would have been dropped anyway; only ``calls`` change). A
   produced grid's test results are remembered per content and demonstration: most produced grids repeat one
   made before (62-85 % of first-demonstration grids on dev tasks at depth 3).
4. The level before the last stores only as many children as the last level can expand (its budget left
   over the number of primitives); once it holds that many, a child that no fitter and no piece can use is
   dropped as soon as its ``promise``, summed demonstration by demonstration as its grids are made, cannot
   beat the weakest stored child's. It would never be expanded, and it cannot fit on the last level either.

The task is searched under several **search views** (``recode.py``: identity; transposed; colours renamed
by frequency in the demonstrations; colours renamed per example by their frequency in its input; each
example turned to a canonical orientation), each undone exactly on the answers. When a view finds no program, an overlay of **pieces** (``pieces.py``:
partial programs each right wherever they paint) that covers every demonstration output is its program.

Ranking, so the same task gives the same candidates on any machine: a program whose answer is its test
input unchanged comes last when every demonstration changes its input (a rule that found nothing to do);
then every program of the views that are not late before those of the late views (``roles_rare``,
orientation), so a late view only adds candidates; then exact programs before overlays of pieces; then
shorter first, then by view, then discovery order.
The test outputs are never read: ``search_task`` sees only demonstrations and test inputs.

``search_sweep`` runs one search and reads it at every smaller budget, depth and set of views on the way (the
budget sweep of ``benchmarks/budget.py``); each reading equals ``search_task`` run with that setting.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from arcvdm.config import SearchConfig
from arcvdm.grids import Grid, grid_key, grids_equal, to_list
from arcvdm.search.dsl import PairGate, Primitive, TaskContext, grids_key, valid
from arcvdm.search.facts import colour_set
from arcvdm.search.pieces import PiecePool
from arcvdm.search.recode import SearchView, search_views
from arcvdm.search.registry import FAMILIES, FITTER_GATES, FITTERS
from arcvdm.tasks import Task


@dataclass
class Program:
    """A program that fits every demonstration: its text, length (sum of costs), view, and test answers."""

    text: str
    length: int
    view: str
    outputs: list[Grid]  # one per test input, in the task's frame (the view undone)

    def to_json(self) -> dict:
        outputs = [to_list(g) for g in self.outputs]
        return {"text": self.text, "length": self.length, "view": self.view, "outputs": outputs}


@dataclass
class SearchResult:
    """What one search produced: ranked programs and the work it took."""

    programs: list[Program]
    expanded: int  # states expanded, all views together
    fitted_all: bool  # some program reproduces every demonstration
    views: list[str] = field(default_factory=list)
    expanded_per_view: dict[str, int] = field(default_factory=dict)
    primitives: int = 0  # primitives offered in the identity view
    errors: int = 0  # primitive calls and families that raised (counted as "does not apply" / "offers none")
    applications: int = 0  # budget spent: primitives tried on expanded states (``max_applications`` counts these)
    calls: int = 0  # primitive calls actually made on a grid (memo misses), all views together

    def fingerprint(self) -> str:
        """A short hash of every program in rank order (text, view, length, answers): two searches with the
        same fingerprint proposed the same candidates (``benchmarks/fingerprint.py`` compares code versions)."""
        programs = [p.to_json() for p in self.programs]
        return hashlib.sha256(json.dumps(programs, sort_keys=True).encode()).hexdigest()[:16]

    def to_json(self) -> dict:
        return {
            "programs": [p.to_json() for p in self.programs],
            "expanded": self.expanded,
            "fitted_all": self.fitted_all,
            "views": self.views,
            "expanded_per_view": self.expanded_per_view,
            "primitives": self.primitives,
            "errors": self.errors,
            "applications": self.applications,
            "calls": self.calls,
        }


@dataclass
class _Outcome:
    """What one view's search holds at one moment: found programs and the work done (``SearchResult`` parts)."""

    found: list[tuple[int, int, str, list[Grid]]]  # (length, order, text, outputs)
    composite: bool
    expanded: int
    applications: int
    errors: int
    calls: int
    seconds: float  # CPU seconds of this view so far (snapshot bookkeeping excluded)


# Fitters that read little of the produced grid fit almost anywhere: try them only near the root.
# ``constant`` ignores the grid (one program is enough); ``lookup`` reads one feature of it.
FITTER_MAX_DEPTH = {"constant": 0, "lookup": 1, "local_rule": 1, "blocks_to_size": 1}

_MISSING = object()  # a memo miss (None is a memoised "does not apply")
MEMO_SIZE = 200_000  # memoised primitive results per view (bounds memory: at most ~200 MB of 30x30 grids)
# produced grids per demonstration whose test results are remembered (``_pair_tests``; at most ~90 MB of 30x30
# grids per demonstration; 282 vs 233 MiB peak on the dev set at depth 3 / 300 000)
PAIR_MEMO_SIZE = 100_000
_TAKES = "pieces"  # the piece pool's test in a produced grid's remembered results (no fitter has this name)


def state_key(grids: tuple[Grid, ...]) -> bytes:
    """A content hash of a state: every grid's shape and cells."""
    h = hashlib.blake2b(digest_size=16)
    for g in grids:
        h.update(bytes((g.shape[0], g.shape[1])))
        h.update(g.tobytes())
    return h.digest()


def promise(grids: tuple[Grid, ...], outputs: list[Grid], output_colours: list[int] | None = None) -> float:
    """How close a state's demonstration grids are to the outputs: sizes, colour sets, then cells (0-4).

    ``output_colours``: each output's colour set as ``colour_set`` gives it, when the caller has it already (the
    search scores every child against the same outputs)."""
    if output_colours is None:
        output_colours = [colour_set(o) for o in outputs]
    score = 0.0
    for g, o, present in zip(grids, outputs, output_colours):
        score = promise_step(score, g, o, present)
    return score / len(outputs)


PROMISE_STEP_MAX = 4.0  # the most ``promise_step`` adds for one demonstration


def promise_step(score: float, grid: Grid, output: Grid, present: int) -> float:
    """``score`` plus one demonstration's part of ``promise``: 2 and the share of equal cells when the grid has
    the output's shape, 1 when it has its colours (``present``: the output's ``colour_set``). The search sums it
    grid by grid as it makes a child, in this order, so the sum equals ``promise``'s to the last bit."""
    if grid.shape == output.shape:
        score += 2.0 + np.count_nonzero(grid == output) / grid.size  # the share of equal cells (``mean``'s, faster)
    if colour_set(grid) == present:
        score += 1.0
    return score


def context_of(task: Task) -> TaskContext:
    """The TaskContext of a task: demonstrations and test inputs (a test output is never copied)."""
    return TaskContext(
        tuple(ex.input for ex in task.train), tuple(ex.output for ex in task.train), tuple(ex.input for ex in task.test)
    )


def primitives_for(ctx: TaskContext, failed: list[str] | None = None) -> list[Primitive]:
    """Every family's primitives for this task, in registry order; a repeated name keeps its first.

    A family that raises while offering its primitives offers none (one family's bug costs its own
    primitives, not the task's search); its name is appended to ``failed`` when given."""
    prims: list[Primitive] = []
    names: set[str] = set()
    for family, make in FAMILIES.items():
        try:
            offered = list(make(ctx))
        except Exception:
            if failed is not None:
                failed.append(family)
            continue
        for prim in offered:
            if prim.name not in names:
                names.add(prim.name)
                prims.append(prim)
    return prims


def run_program(ctx: TaskContext, text: str, grid: Grid) -> Grid | None:
    """Run a program written as primitive names joined by " | " (e.g. "crop | rot90") on one grid.

    The names are looked up among the primitives the families offer for ``ctx``; a name they do not
    offer is an error naming it. Fitted last steps (colour maps) are not names and cannot be run here.
    """
    by_name = {p.name: p for p in primitives_for(ctx)}
    out: Grid | None = grid
    for name in [n.strip() for n in text.split("|")]:
        if name not in by_name:
            raise KeyError(f"program {text!r}: no primitive named {name!r} for this task")
        out = by_name[name](out)
        if not valid(out):
            return None
    return out


def _floor(frontier: list[tuple], room: int) -> float | None:
    """The promise a child must beat to enter a frontier (a heap, weakest first) that holds ``room`` states at
    most: its weakest state's once it is full (infinite where it may hold none), None while it has room."""
    if len(frontier) < room:
        return None
    return frontier[0][0] if frontier else float("inf")


class _ViewSearch:
    """The search of one view: primitives, seen states, found programs, budget."""

    def __init__(self, view: SearchView, task: Task, cfg: SearchConfig, view_index: int, budgets: tuple[int, ...] = ()):
        self.started = time.process_time()
        self.view, self.cfg, self.view_index = view, cfg, view_index
        self.train_in = [np.ascontiguousarray(view.forward(ex.input, ex.input)) for ex in task.train]
        self.train_out = [np.ascontiguousarray(view.forward(ex.output, ex.input)) for ex in task.train]
        self.test_in = [np.ascontiguousarray(view.forward(ex.input, ex.input)) for ex in task.test]
        self.test_refs = [ex.input for ex in task.test]  # what ``view.backward`` decodes each answer with
        ctx = TaskContext(tuple(self.train_in), tuple(self.train_out), tuple(self.test_in))
        self.failed_families: list[str] = []
        self.prims = primitives_for(ctx, self.failed_families)
        # per depth: the fitters tried there, in ``FITTERS`` order, with whether each has a gate; the gates of the
        # gated ones (``FITTER_GATES``, by name); and whether an ungated one is tried
        self.tried = {d: [(n, f, n in FITTER_GATES) for n, f in FITTERS.items() if self._tried(n, d)]
                      for d in range(cfg.max_depth + 1)}
        self.gates = {d: [(n, FITTER_GATES[n]) for n, _f, gated in tried if gated] for d, tried in self.tried.items()}
        self.ungated = {d: not all(gated for _n, _f, gated in tried) for d, tried in self.tried.items()}
        self.n_train = len(self.train_in)
        self.out_colours = [colour_set(o) for o in self.train_out]  # for ``promise``
        self.found: list[tuple[int, int, str, list[Grid]]] = []  # (length, order, text, outputs)
        self.found_keys: dict[tuple, int] = {}  # answers (grid keys) -> index in found
        self.expanded = 0
        self.applications = 0
        # per primitive (by id): a grid's key -> the primitive's result on it; at most MEMO_SIZE results in all
        self.memos: dict[int, dict[tuple, Grid | None]] = {id(p): {} for p in self.prims}
        self.memo_size = 0
        self.memo_hits = 0
        self.calls = 0
        # per demonstration: a produced grid's content -> the results of the per-pair tests asked of it so far
        self.pair_memo: list[dict[tuple, dict[str, bool]]] = [{} for _ in self.train_in]
        share = 1.0 if view_index == 0 else cfg.other_views_share
        self.max_applications = max(1, int(cfg.max_applications * share))
        # smaller budgets whose outcome (at every depth) is recorded on the way (``search_sweep``): a search with
        # budget b follows this one's path exactly until b's per-view share runs out, so it is a prefix of it
        self.marks = sorted((max(1, int(b * share)), b) for b in budgets)
        self.snapshots: dict[tuple[int, int], _Outcome] = {}  # (depth, budget) -> outcome
        self.bookkeeping = 0.0  # CPU seconds spent taking snapshots (not part of any search's time)
        self.errors = len(self.failed_families)
        self.pool = PiecePool(self.train_out) if cfg.pieces else None
        self.composite = False  # the programs found are an overlay of pieces (ranked after exact programs)

    # --- applying primitives -------------------------------------------------------------------
    def _apply(self, prim: Primitive, grids: tuple[Grid, ...] | list[Grid], keys: list[tuple],
               open_gates: Sequence[tuple[str, PairGate]] = (), keep_going: bool = True, takes: bool = False,
               floor: float | None = None) -> tuple[list[Grid], Sequence[tuple[str, PairGate]], bool, float] | None:
        """``prim`` on each grid (``keys``: their ``grid_key``s), memoised by (primitive, grid content): (results,
        the gated fitters of ``open_gates`` every pair left open, whether the piece pool may take every grid, the
        child's ``promise`` when ``floor`` is given), or None as soon as a result is missing or invalid (a primitive
        that raises does not apply; counted in ``SearchResult.errors``). Sibling states share many grids (most
        primitives leave some grids as they are), so the same call recurs.

        For a state's demonstration grids the caller passes the fitters' per-pair gates (``FITTER_GATES``) as
        ``open_gates`` and whether to ask the pool (``takes``); each produced grid is tested as it comes. A child
        is dropped (None) without applying ``prim`` to the remaining demonstrations once no fitter can fit its
        grids and the pool cannot take them, and either it is on the last level (``keep_going`` false: every
        fitter tried there has a gate), where a child is only checked, or its ``promise`` cannot reach ``floor``
        (the least promise a child must beat to be stored for the next level to expand, as ``run`` gives it): it
        would have been dropped anyway. This loop runs once per application: the memo's lines are written out
        here, not in a helper per grid."""
        memo = self.memos[id(prim)]
        fn = prim.fn  # (Primitive.__call__ without its extra frame)
        out = []
        score = 0.0
        for index, g in enumerate(grids):
            key = keys[index]
            r = memo.get(key, _MISSING)
            if r is _MISSING:
                self.calls += 1
                try:
                    r = fn(g)
                except Exception:
                    self.errors += 1
                    r = None
                if not valid(r):
                    r = None
                if self.memo_size < MEMO_SIZE:
                    memo[key] = r
                    self.memo_size += 1
            else:
                self.memo_hits += 1
            if r is None:
                return None
            out.append(r)
            if open_gates or takes:
                open_gates, takes = self._pair_tests(index, r, open_gates, takes)
            if not (keep_going or open_gates or takes):
                return None
            if floor is not None:
                score = promise_step(score, r, self.train_out[index], self.out_colours[index])
                if not (open_gates or takes) and self._below(score, len(grids) - 1 - index, floor):
                    return None
        return out, open_gates, takes, score / len(grids)

    def _below(self, score: float, left: int, floor: float) -> bool:
        """A child whose ``promise_step`` sum is ``score`` with ``left`` demonstrations still to make has a
        ``promise`` below ``floor`` whatever they hold (by a margin far above rounding)."""
        return (score + PROMISE_STEP_MAX * left) / self.n_train < floor - 1e-9

    def _pair_tests(self, index: int, produced: Grid, open_gates: list[tuple[str, PairGate]],
                    takes: bool) -> tuple[list[tuple[str, PairGate]], bool]:
        """The gates of ``open_gates`` that demonstration ``index``'s produced grid passes, and whether the piece
        pool may take it (when ``takes``). The tests are pure functions of the grid's content and most produced
        grids repeat an earlier one's (most primitives change little, and siblings share grids), so each test's
        result is remembered per content."""
        memo = self.pair_memo[index]
        content = (produced.shape, produced.tobytes())
        known = memo.get(content)
        if known is None:
            known = {}
            if len(memo) < PAIR_MEMO_SIZE:
                memo[content] = known
        output = self.train_out[index]
        passed = []
        for name, gate in open_gates:
            ok = known.get(name)
            if ok is None:
                ok = known[name] = gate(produced, output)
            if ok:
                passed.append((name, gate))
        if takes:
            ok = known.get(_TAKES)
            if ok is None:
                ok = known[_TAKES] = self.pool.may_take(produced, index)
            takes = ok
        return passed, takes

    @staticmethod
    def _tried(name: str, depth: int) -> bool:
        """Fitter ``name`` is tried on states of ``depth`` (some only near the root: ``FITTER_MAX_DEPTH``)."""
        return depth <= FITTER_MAX_DEPTH.get(name, depth)

    def _fits(self, demo: list[Grid], depth: int, open_gates: list[tuple[str, PairGate]]) -> list[tuple[str, Primitive]]:
        """Fitters that map these demonstration grids to the outputs: those tried at ``depth`` whose gate every
        pair passed (``open_gates``, as ``_apply`` gives them) or that have none."""
        open_names = {name for name, _gate in open_gates}
        fits = []
        for name, fit, gated in self.tried[depth]:
            if gated and name not in open_names:
                continue
            step = fit(demo, self.train_out)
            if step is not None:
                fits.append((name, step))
                if name == "identity":
                    break  # an exact program needs no other last step
        return fits

    def _record(self, program: tuple[Primitive, ...], tests: list[Grid], fits: list[tuple[str, Primitive]]) -> None:
        for _name, step in fits:
            answers = []
            for g, ref in zip(tests, self.test_refs):
                try:
                    r = step(g)
                except Exception:
                    self.errors += 1
                    r = None
                if not valid(r):
                    break
                answers.append(np.ascontiguousarray(self.view.backward(r, ref)).astype(np.uint8))
            else:
                names = [p.name for p in program] + ([step.name] if step.cost > 0 or not program else [])
                text = " | ".join(names)
                # one program per distinct answer in a view, the shortest: an equivalent longer program adds
                # no candidate (at one depth a fitted step can come before a shorter exact program)
                key = grids_key(answers)
                length = sum(p.cost for p in program) + step.cost
                if key in self.found_keys:
                    index = self.found_keys[key]
                    if length < self.found[index][0]:
                        self.found[index] = (length, self.found[index][1], text, answers)
                    continue
                self.found_keys[key] = len(self.found)
                self.found.append((length, len(self.found), text, answers))

    def _done(self) -> bool:
        return len(self.found) >= self.cfg.max_programs

    # --- outcomes (what ``search_task`` reads) and snapshots of them (what ``search_sweep`` reads) -----------
    def outcome(self) -> _Outcome:
        """This view's programs and work as they stand, an overlay of pieces included where nothing fits."""
        found, composite = list(self.found), self.composite
        if not found:
            overlay = self._overlay()
            if overlay is not None:
                found, composite = [overlay], True
        seconds = time.process_time() - self.started - self.bookkeeping
        return _Outcome(found, composite, self.expanded, self.applications, self.errors, self.calls, seconds)

    def _snapshot(self, keys: list[tuple[int, int]]) -> None:
        """Record the outcome a search with a smaller budget or depth would end with here, under ``keys``."""
        start = time.process_time()
        calls, errors = self.calls, self.errors
        outcome = self.outcome()
        self.calls, self.errors = calls, errors  # the overlay's own calls belong to the snapshot, not the search
        for key in keys:
            self.snapshots.setdefault(key, outcome)
        self.bookkeeping += time.process_time() - start

    def _budget_marks(self, depth: int) -> None:
        """Snapshot every smaller budget that the next expansion would exceed (for this depth and deeper)."""
        while self.marks and self.applications + len(self.prims) > self.marks[0][0]:
            _share, budget = self.marks.pop(0)
            self._snapshot([(d, budget) for d in range(depth, self.cfg.max_depth + 1)])

    # --- the level-by-level search ---------------------------------------------------------------
    def run(self) -> None:
        root = tuple(self.train_in + self.test_in)
        root_gates = [(name, gate) for name, gate in self.gates[0] if all(map(gate, self.train_in, self.train_out))]
        self._record((), self.test_in, self._fits(self.train_in, 0, root_gates))
        if self.pool is not None:
            self.pool.offer(self.train_in, (), 0)
        seen = {state_key(root)}
        level: list[tuple[tuple[Grid, ...], tuple[Primitive, ...]]] = [(root, ())]
        for depth in range(1, self.cfg.max_depth + 1):
            last = depth == self.cfg.max_depth
            gates, keep_going = self.gates[depth], not last or self.ungated[depth]
            asks_pool = self.pool is not None and self.pool.collects
            # the children the next level may expand, most promising first; on the level before the last (whose
            # children are only checked) a child that no fitter and no piece can use is dropped as soon as its
            # promise cannot beat the weakest stored one (``floor``, once the frontier holds as many states as the
            # last level can expand): it would never be expanded, and it cannot fit there either (the fitters tried
            # on a level are a subset of those tried on the level above it)
            bounded = depth == self.cfg.max_depth - 1 and not self.ungated[depth]
            frontier: list[tuple[float, int, tuple[Grid, ...], tuple[Primitive, ...]]] = []
            floor = None
            order = 0
            for state, program in level:
                if self.expanded >= self.cfg.max_states or self._done():
                    return
                if self.marks:
                    self._budget_marks(depth)
                if self.applications + len(self.prims) > self.max_applications:
                    return
                self.expanded += 1
                self.applications += len(self.prims)
                if not last:  # the next level expands at most ``room`` states: keep only that many
                    expandable = (self.max_applications - self.applications) // len(self.prims)
                    room = min(self.cfg.max_states - self.expanded, expandable)
                    while len(frontier) > max(room, 0):
                        heapq.heappop(frontier)
                    if bounded:
                        floor = _floor(frontier, room)
                demo_in, test_in = state[: self.n_train], state[self.n_train :]
                length = sum(p.cost for p in program)  # of the state's program; a child adds its primitive's
                keys = [grid_key(g) for g in state]
                demo_keys, test_keys = keys[: self.n_train], keys[self.n_train :]
                for prim in self.prims:
                    made = self._apply(prim, demo_in, demo_keys, gates, keep_going, asks_pool, floor)
                    if made is None:
                        continue
                    demo, open_gates, takes, score = made
                    unchanged = True
                    for a, b in zip(demo, demo_in):
                        if a is not b and not grids_equal(a, b):
                            unchanged = False
                            break
                    if unchanged:
                        continue
                    if takes:  # every grid passed ``PiecePool.may_take``: the pool keeps it if it paints something new
                        self.pool.offer(demo, program + (prim,), length + prim.cost, safe=True)
                    if last:  # a last-level child is only checked: its test grids only when a fitter fits
                        fits = self._fits(demo, depth, open_gates)
                        if not fits:
                            continue
                    made = self._apply(prim, test_in, test_keys)
                    if made is None:
                        continue
                    tests = made[0]
                    child = tuple(demo + tests)
                    key = state_key(child)
                    if key in seen:
                        continue
                    seen.add(key)
                    if not last:  # fitted only once it is new (fitters are pure: the same fits either way)
                        fits = self._fits(demo, depth, open_gates)
                    child_program = program + (prim,)
                    if fits:
                        self._record(child_program, tests, fits)
                        if self._done():
                            return
                    if not last:
                        if floor is None:  # (else ``_apply`` summed it)
                            score = promise(demo, self.train_out, self.out_colours)
                        item = (score, -order, child, child_program)
                        order += 1
                        if len(frontier) < room:
                            heapq.heappush(frontier, item)
                        elif frontier and item[:2] > frontier[0][:2]:
                            heapq.heapreplace(frontier, item)
                        if bounded:
                            floor = _floor(frontier, room)
            if self.marks and not last:  # a search of this depth ends here, for every budget not yet spent
                self._snapshot([(depth, budget) for _share, budget in self.marks])
            frontier.sort(key=lambda it: (-it[0], -it[1]))
            level = [(it[2], it[3]) for it in frontier]

    def _overlay(self) -> tuple[int, int, str, list[Grid]] | None:
        """An overlay of pieces (``pieces.py``) that reproduces every demonstration, as a found entry, if the
        pool has one (what a view that found no program records)."""
        if self.pool is None:
            return None
        chosen = self.pool.compose()
        if chosen is None:
            return None
        per_piece = []
        for piece in chosen:
            grids = list(self.test_in)
            for prim in piece.program:
                made = self._apply(prim, grids, [grid_key(g) for g in grids])
                if made is None:
                    return None
                grids = made[0]
            per_piece.append(grids)
        answers = []
        for t in range(len(self.test_in)):
            grid = self.pool.overlay([grids[t] for grids in per_piece])
            if grid is None:
                return None
            answers.append(np.ascontiguousarray(self.view.backward(grid, self.test_refs[t])).astype(np.uint8))
        texts = [" | ".join(p.name for p in piece.program) or "input" for piece in chosen]
        length = sum(piece.length for piece in chosen) + 1
        return (length, 0, "pieces(" + " ; ".join(texts) + ")", answers)


def _public(task: Task) -> Task:
    """The task without test outputs: the caller should pass ``task.public()``; never read an answer, even by
    accident."""
    return task.public() if any(ex.output is not None for ex in task.test) else task


def _assemble(task: Task, cfg: SearchConfig, views: list[SearchView], outcomes: list[_Outcome], primitives: int) -> SearchResult:
    """The ranked result of every view's outcome (``outcomes[i]`` is ``views[i]``'s)."""
    # (idle, late view, composite, length, view, order, program)
    ranked: list[tuple[bool, bool, bool, int, int, int, Program]] = []
    every_demo_changes = not any(grids_equal(ex.input, ex.output) for ex in task.train)
    for index, (view, outcome) in enumerate(zip(views, outcomes)):
        for length, order, text, outputs in outcome.found:
            idle = every_demo_changes and any(grids_equal(a, ex.input) for a, ex in zip(outputs, task.test))
            program = Program(text, length, view.name, outputs)
            ranked.append((idle, view.late, outcome.composite, length, index, order, program))
    # an answer that leaves its test input as it is, where every demonstration changes its input, is
    # almost never right (a rule that found nothing to do): last; then every program of the views that
    # are not late before any of a late view (late views only add candidates: a late exact program once
    # outranked a right overlay of pieces); then exact programs before overlays of pieces; then shorter,
    # view, discovery
    ranked.sort(key=lambda r: r[:6])
    programs = [r[6] for r in ranked[: cfg.max_programs]]
    return SearchResult(
        programs,
        sum(o.expanded for o in outcomes),
        bool(ranked),
        [v.name for v in views],
        {v.name: o.expanded for v, o in zip(views, outcomes)},
        primitives,
        sum(o.errors for o in outcomes),
        sum(o.applications for o in outcomes),
        sum(o.calls for o in outcomes),
    )


def _searched_views(task: Task, cfg: SearchConfig, marks: tuple[int, ...] = ()):
    """Each view's search of a public task, run, in rank order; one at a time, so a view's memo is freed before
    the next view's fills."""
    for index, view in enumerate(search_views(task, cfg)):
        vs = _ViewSearch(view, task, cfg, index, marks)
        vs.run()
        yield vs


def search_task(task: Task, cfg: SearchConfig) -> SearchResult:
    """Search every view of a public task; programs ranked as the module docstring says."""
    task = _public(task)
    searched = [(vs.view, vs.outcome(), len(vs.prims)) for vs in _searched_views(task, cfg)]
    views, outcomes, primitives = zip(*searched)
    return _assemble(task, cfg, list(views), list(outcomes), primitives[0])


@dataclass
class Sweep:
    """One search read at smaller budgets, shallower depths and fewer views (``search_sweep``).

    ``result(depth, budget, views)`` is what ``search_task`` returns with ``max_depth=depth``,
    ``max_applications=budget`` and only the first ``views`` search views (``tests/search/test_sweep.py``
    holds the two equal: programs, ranks, answers, applications and expanded states; the ``calls`` and ``errors``
    counters may differ, since a snapshot's overlay of pieces warms the memo); ``seconds`` is the CPU time that
    search would have taken, from this one's clock (a shallower search checks its last level's children more
    cheaply, so its figure is an upper bound).
    """

    task: Task
    cfg: SearchConfig
    views: list[SearchView]
    primitives: int
    outcomes: list[dict[tuple[int, int], _Outcome]]  # per view: (depth, budget) -> outcome

    def _pick(self, depth: int, budget: int, views: int | None) -> tuple[list[SearchView], list[_Outcome]]:
        n = len(self.views) if views is None else views
        if not 1 <= n <= len(self.views):
            raise ValueError(f"views={n}: this task has {len(self.views)} search views")
        key = (depth, budget)
        if key not in self.outcomes[0]:
            known = sorted({b for _d, b in self.outcomes[0]})
            raise ValueError(f"depth {depth}, budget {budget} was not swept (depths 1-{self.cfg.max_depth}, budgets {known})")
        return self.views[:n], [per_view[key] for per_view in self.outcomes[:n]]

    def result(self, depth: int, budget: int, views: int | None = None) -> SearchResult:
        chosen, outcomes = self._pick(depth, budget, views)
        return _assemble(self.task, self.cfg, chosen, outcomes, self.primitives)

    def seconds(self, depth: int, budget: int, views: int | None = None) -> float:
        return sum(o.seconds for o in self._pick(depth, budget, views)[1])


def search_sweep(task: Task, cfg: SearchConfig, budgets: list[int] | tuple[int, ...]) -> Sweep:
    """Search once at ``cfg``'s budget and depth, recording on the way the outcome of every smaller budget in
    ``budgets`` (counts of applications, as ``max_applications``) at every depth up to ``cfg.max_depth``."""
    for b in budgets:
        if not 1 <= b <= cfg.max_applications:
            raise ValueError(f"sweep budget {b} must be between 1 and search.max_applications ({cfg.max_applications})")
    marks = tuple(sorted(set(budgets) | {cfg.max_applications}))
    task = _public(task)
    views, outcomes, primitives = [], [], 0
    for vs in _searched_views(task, cfg, marks):
        if not views:
            primitives = len(vs.prims)  # of the identity view, as search_task counts them
        final = vs.outcome()  # for every (depth, budget) the search outlived: it ended before either ran out
        views.append(vs.view)
        outcomes.append({(d, b): vs.snapshots.get((d, b), final) for d in range(1, cfg.max_depth + 1) for b in marks})
    return Sweep(task, cfg, views, primitives, outcomes)


def rank_answers(result: SearchResult, test_index: int) -> list[tuple[Grid, list[str]]]:
    """Distinct answers for one test input, in rank order of their best program, with every program text."""
    answers: list[tuple[Grid, list[str]]] = []
    index: dict[tuple[int, int, bytes], int] = {}
    for prog in result.programs:
        grid = prog.outputs[test_index]
        key = grid_key(grid)
        if key in index:
            answers[index[key]][1].append(prog.text)
        else:
            index[key] = len(answers)
            answers.append((grid, [prog.text]))
    return answers


__all__ = [
    "Program", "SearchResult", "SearchView", "Sweep", "search_task", "search_sweep", "rank_answers", "search_views", "run_program",
    "primitives_for", "context_of",
]
