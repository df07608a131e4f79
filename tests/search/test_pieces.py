"""Pieces (arcvdm/search/pieces.py): partial programs that are right wherever they paint, overlaid when
together they cover every output cell; and the search using them only when no exact program fits."""


from arcvdm.config import SearchConfig
from arcvdm.search import engine
from arcvdm.search.facts import output_background
from arcvdm.search.pieces import MAX_PIECES, PiecePool
from arcvdm.tasks import Example, Task

from training_tasks import g


def test_output_background_is_the_most_frequent_output_colour():
    assert output_background([g([[3, 3], [3, 1]]), g([[3, 2]])]) == 3
    assert output_background([g([[1, 2]])]) == 1  # a tie goes to the lower colour


def test_a_piece_must_paint_only_right_cells_in_every_demonstration():
    pool = PiecePool([g([[1, 0], [0, 2]]), g([[0, 1]])])
    assert pool.coverage([g([[1, 0], [0, 0]]), g([[0, 1]])]).tolist() == [True, False, False, False, False, True]
    assert pool.coverage([g([[1, 0], [0, 3]]), g([[0, 1]])]) is None   # a wrong colour painted
    assert pool.coverage([g([[1, 1], [0, 0]]), g([[0, 1]])]) is None   # paints a background cell
    assert pool.coverage([g([[1, 0]]), g([[0, 1]])]) is None           # another shape
    assert pool.coverage([g([[0, 0], [0, 0]]), g([[0, 0]])]) is None   # paints nothing
    assert pool.coverage([g([[1, 0], [0, 2]]), g([[0, 1]])]) is None   # exact: the fitters' job


def test_compose_covers_with_the_fewest_pieces_and_overlays_earlier_pieces_on_top():
    outputs = [g([[1, 0, 2], [0, 0, 2]])]
    pool = PiecePool(outputs)
    pool.offer([g([[1, 0, 0], [0, 0, 0]])], ("a",), 1)
    pool.offer([g([[0, 0, 2], [0, 0, 2]])], ("b",), 1)
    pool.offer([g([[0, 0, 2], [0, 0, 0]])], ("c",), 1)  # covered by b: never needed
    chosen = pool.compose()
    assert [p.program for p in chosen] == [("b",), ("a",)]  # the larger coverage first
    # on a test input the first piece keeps the cells it painted
    out = pool.overlay([g([[5, 0], [0, 0]]), g([[7, 7], [0, 0]])])
    assert out.tolist() == [[5, 7], [0, 0]]
    assert pool.overlay([g([[5]]), g([[7, 7]])]) is None  # the pieces disagree on the answer's shape


def test_compose_keeps_the_shortest_program_per_coverage_and_gives_up_past_the_piece_limit():
    n = MAX_PIECES + 1
    outputs = [g([[i + 1 for i in range(n)] + [0] * (n + 1)])]  # background 0
    pool = PiecePool(outputs)
    for i in range(n):
        row = [0] * (2 * n + 1)
        row[i] = i + 1
        pool.offer([g([row])], (f"long{i}",), 3)
        pool.offer([g([row])], (f"short{i}",), 1)
    assert len(pool.pieces) == MAX_PIECES + 1
    assert {p.program for p in pool.pieces.values()} == {(f"short{i}",) for i in range(MAX_PIECES + 1)}
    assert pool.compose() is None  # four single cells need four pieces


def _task(pairs, test_input) -> Task:
    train = [Example(g(i), g(o)) for i, o in pairs]
    return Task("pieces-toy", train, [Example(g(test_input), None)])


def test_search_overlays_pieces_when_no_program_fits_and_ranks_them_after_exact_programs():
    # colour 1 moves one cell right, colour 2 stays: no single primitive does both, two pieces do
    pairs = [
        ([[1, 0, 0, 2], [0, 0, 0, 2], [0, 0, 0, 0]], [[0, 1, 0, 2], [0, 0, 0, 2], [0, 0, 0, 0]]),
        ([[0, 0, 0, 0], [2, 1, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [2, 0, 1, 0], [0, 0, 0, 0]]),
        ([[2, 0, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0]], [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1]]),
    ]
    task = _task(pairs, [[0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 2]])
    cfg = SearchConfig(max_depth=2, max_applications=20000)
    result = engine.search_task(task, cfg)
    composite = [p.text.startswith("pieces(") for p in result.programs]
    assert composite and composite == sorted(composite)  # every exact program before every overlay
    assert composite[0], "an exact program fits this toy task: make it harder"
    top = engine.rank_answers(result, 0)[0][0]
    assert top.tolist() == [[0, 2, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2]]
    off = engine.search_task(task, SearchConfig(max_depth=2, max_applications=20000, pieces=False))
    assert not any(p.text.startswith("pieces(") for p in off.programs)
