"""The sentiment variant tool's CV folds (nlp/eval/sentiment_variants.py, round 20): with the ids a data set had before
a new slice, those old ids fall in exactly the folds they fall in without the slice, so the old rows' out-of-fold
reading is paired with the run without it. Ids only; no data set is read."""

from sklearn.model_selection import KFold

from nlp.eval.sentiment_variants import social_folds


def _plain(ids: list[str], seed: int) -> list[set[str]]:
    soc = sorted(set(ids))
    return [{soc[i] for i in te} for _, te in KFold(5, shuffle=True, random_state=seed).split(soc)]


OLD = [f"S{n}-{k:04d}" for n in (1, 7, 52) for k in range(1, 41)]
NEW = [f"S60-{k:04d}" for k in range(1, 31)]


def test_without_old_ids_the_folds_are_the_tools_folds_before_round_20():
    assert social_folds(OLD + OLD[:5], None, seed=7) == _plain(OLD, 7)


def test_old_ids_keep_their_folds_when_a_slice_joins():
    for seed in (13, 7, 29):
        folds = social_folds(OLD + NEW, set(OLD), seed=seed)
        assert [f & set(OLD) for f in folds] == _plain(OLD, seed)
        assert all(len(f & set(NEW)) == 6 for f in folds)  # the new ids split apart, one part per fold


def test_every_id_is_held_out_once():
    folds = social_folds(OLD + NEW, set(OLD), seed=13)
    assert sorted(i for f in folds for i in f) == sorted(OLD + NEW)


def test_a_slice_that_shifts_the_sorted_list_would_move_the_old_folds():
    """Why the split is paired: one KFold over the grown list puts old ids in other folds (round 19's reading)."""
    grown = [f & set(OLD) for f in _plain(OLD + NEW + ["S2-9999"], 13)]
    assert grown != _plain(OLD, 13)
