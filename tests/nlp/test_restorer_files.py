"""Round 28: the restorer reads the labelled files named in nlp.train.RESTORER_FILES, and no other, so that a new
slice trains the comment model without moving the restored training copies (and the press topic rule) through a
side door (round 27: S67's accented lines moved the press topic threshold from −0.201 to −0.405)."""

from __future__ import annotations

import hashlib

from nlp import train as T

# sha1 of the restorer's labelled text (the accented press / official / forum training rows, then the social slices'
# accented training lines, of the listed files), as model 1.0's restorer was trained on it (round 26's retrain).
MODEL_1_0_RESTORER_TEXT = "1714889b126c56b6811cce28b53afaf435ee3ac9"


def _ids(prefix: str, n: int) -> list[str]:
    out, k = [], 0
    while len(out) < n:
        i = f"{prefix}-{k:04d}"
        if not T.is_heldout(i):
            out.append(i)
        k += 1
    return out


def _rows(file: str, texts: list[str], title: str = "") -> list[dict]:
    return [{"id": i, "title": title, "text": t, "sentiment": "neutral", "diacritics": True, "_file": file}
            for i, t in zip(_ids(file.split("_")[1].split(".")[0], len(texts)), texts)]


def test_a_file_not_listed_never_reaches_the_restorer():
    new_social = _rows("labelled_S99.jsonl", ["mình gọi lại nhé"])
    new_own = _rows("labelled_D.jsonl", ["Phường họp dân về bãi thải"], title="Họp dân")
    listed = _rows("labelled_S1.jsonl", ["tối mai mình qua nhé"])
    assert "labelled_S99.jsonl" not in T.RESTORER_FILES and "labelled_D.jsonl" not in T.RESTORER_FILES
    assert T.restorer_corpus(new_social + new_own + listed, corpus=[], social_weight=2) == ["tối mai mình qua nhé"] * 2
    assert not any(T.trains_restorer(r) or T.trains_social_restorer(r) for r in new_social + new_own)
    # listed (here by argument, as nlp.eval.restore_own --add-files does), they are read as their kind says
    files = T.RESTORER_FILES + ("labelled_S99.jsonl", "labelled_D.jsonl")
    got = T.restorer_corpus(new_social + new_own + listed, corpus=[], social_weight=2, files=files)
    assert got == ["Họp dân\nPhường họp dân về bãi thải"] + ["mình gọi lại nhé", "tối mai mình qua nhé"] * 2
    # and named in train's log
    assert T.restorer_left_out(new_social + new_own + listed) == ["labelled_D.jsonl", "labelled_S99.jsonl"]


def test_the_kind_rules_still_apply_to_listed_files():
    """A news or V file named in the list adds nothing (NEWS_RESTORER off, V rows never), a held-out or unaccented
    line of a listed slice neither; rows from no file (staff corrections) keep the kind rules alone."""
    news = _rows("labelled_N0.jsonl", ["Giá vàng tăng mạnh"], title="Giá vàng")
    vntc = _rows("labelled_V1.jsonl", ["Bệnh viện khai trương khoa mới"], title="Khai trương")
    bare = [dict(r, diacritics=False) for r in _rows("labelled_S1.jsonl", ["minh goi lai nhe"])]
    files = ("labelled_N0.jsonl", "labelled_V1.jsonl", "labelled_S1.jsonl")
    assert T.restorer_corpus(news + vntc + bare, corpus=[], files=files) == []
    titled = {"id": "human:1", "title": "Tin", "text": "Mưa lớn ở Uông Bí", "sentiment": None}
    comment = {"id": "human:2", "title": "", "text": "mưa to quá", "sentiment": "negative"}
    assert T.restorer_corpus([titled, comment], corpus=[], files=()) == ["Tin\nMưa lớn ở Uông Bí"]


def test_the_list_names_labelled_files_of_the_repository():
    names = {p.name for p in T.LABELLED_DIR.glob("labelled_*.jsonl")}
    assert len(set(T.RESTORER_FILES)) == len(T.RESTORER_FILES)
    assert set(T.RESTORER_FILES) <= names, sorted(set(T.RESTORER_FILES) - names)


def test_the_listed_files_give_model_1_0s_restorer_text():
    """The list reads exactly what model 1.0's restorer read. When this fails, the restorer's text changed: a file
    was listed or unlisted, or a listed file's accented training text was edited or added to. Measure it first
    (`python -m nlp.eval.restore_own`, `--add-files` for a new file), retrain, read metrics-1.0.json
    (`python -m nlp.eval.metrics_diff`), then update MODEL_1_0_RESTORER_TEXT with the retrained model."""
    train, _ = T.split(T.load_labelled())
    base, social = T.restorer_texts(train, social_weight=1)
    digest = hashlib.sha1("\x00".join(["B", *base, "S", *social]).encode("utf-8")).hexdigest()
    assert (len(base), len(social)) == (1284, 6368)
    assert digest == MODEL_1_0_RESTORER_TEXT
