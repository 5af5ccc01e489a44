"""Which models and which pipeline wrote a tag row: model files on disk, and the stamp stored with each row.

    find_models(dir, version)   → (classifier path, restorer path, version): the newest unless one is named
    stamp_version(version, …)   → "1.0/p2-77f532": model version / code revision - fingerprint of the steps,
                                  the province and the data files read at tagging time (nlp/data, not corpus/)
    current_stamp(cfg)          → what a pipeline loaded from cfg stamps, without loading a model

Kept apart from nlp/pipeline.py so that `langnghe status` can tell how many stored items wait for (re-)tagging
without importing scikit-learn and the models. Stored items whose stamp differs from the current one are
re-tagged (`nlp.service.tag_pending`, serve's tag job), as after a retrain.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

PACKAGE_DIR = Path(__file__).parent
MODELS_DIR = PACKAGE_DIR / "models"
DEFAULT_STEPS = ("normalise", "language", "places", "topics", "sentiment")
# Bump when a code change alters what the steps return for the same models and data files (what is read, how
# it is judged): stored items are then re-tagged after the upgrade. 2: a social post's title that repeats its
# first line is left out, so collected posts are read by the comment sentiment model (round 12).
# 3: place names typed without marks inside a marked text are found (nlp/mixed.py, round 13).
# 4: in a marked text an OCR misspelling of a name is guessed only right after a unit word (real-stream bench).
# 5 (round 15; two changes of the Places step released together): it also returns `place_reads` (names read with
# marks where the text writes them without), which search and watchlists match (store/search_query.place_readings);
# and a place name used as a maker's or brand's name, or as a person's name, is not a place; "bến" is a street word;
# a ward followed by another province's district in an address names that province (real news; brand_words.txt and
# person_words.txt are data, the rules that read them code).
# 6 (round 16): the brand rule's comma list keeps another province when an item before or after it is a place,
# as it always did for the area's names ("bò sữa Sơn La, Hà Nội, …").
# 7 (round 17): a place name typed without marks right after "ở" or "tại" in a marked text is a name ("Tối qua ở
# vang danh lại mất điện"; nlp/mixed.py), so search and watchlists find it by the name typed with marks.
# 8 (round 18; three changes released together): comments and replies (flags fb_comment / fb_reply / reply, survey
# answers) are read by the comment topic model, routed by structure (nlp.steps.topics_by_comment_model), so stored
# comments take its chips; the Normalise step also returns `text_restored` (the start of a text written without
# marks, restored), which a rapid report gives after its verbatim quote (store/migrations/175_text_restored.sql);
# and a social item's `title_restored` is its title as shown, with the place names read in it capitalised and a
# capital first letter (nlp/titles.py), also when it was written with marks.
# 9 (round 19): the models retrained with slice S59 and the wish marks (sentiment) and the real labelled VNTC
# articles with economy's positives weighted (topics); the model version stays "1.0", so stored items are re-tagged
# by this number (docs/NLP_ROUNDS.md, "Round 19: the lead's decision").
# 10 (round 21): the models retrained with slice S60 and the contrast scope "dup" (sentiment of comments) and with
# the news slices N29–N33 and economy's V positives ×4 (topics); the model version stays "1.0" (docs/NLP_ROUNDS.md,
# "Round 21: the retrain" and "Round 21: the second retrain, with N29–N33").
# 11 (round 22): the models retrained with slice S61 (sentiment: feedback on a public service, told mildly), and a
# residential area (khu, thôn, tổ …) named before a unit of the area keeps only places within it (nlp/gazetteer.py;
# "Round 22: a residential area before its unit"), so stored items take both.
# 12 (round 23): the models retrained with the comment rule chosen on lines that name no matter too (comment chips:
# p > 0.25, no fallback; "Round 23: comment chips and the lines that name no matter"), and the gazetteer's one
# residential vocabulary («khu phố X», «khu dân cư X», a bare ward name before a unit of the area), so stored
# comments take their chips and items their places again.
# 13 (round 24): the models retrained with slices S62 and S63 (sentiment: fairness and materials, time and cost of a
# public service; "Round 24: the retrain"); the restorer read their accented lines too, so stored items take both.
# 14 (round 25): the models retrained with slice S65 (sentiment: a service's problem and where it stands, chosen by
# our own held-out errors; "Round 25: the retrain"); the restorer read its accented lines too, so stored items take both.
# 15 (round 26): the models retrained with slice S66 (sentiment: contrast lines in both directions; "Round 26: the
# retrain"); the restorer read its accented lines too, so stored items take both.
# 16 (round 29): no topic and no polarity without evidence (nlp/evidence.py): an item with no or one content syllable
# keeps a topic only with that topic's keyword (lexicon.tsv), one with none a polarity only with an opinion word, a
# negator or a polar emoji («Tin», «được», «Thông báo», «ảnh» had topics, «được» was positive); stored items take it.
# 17 (round 31): the models retrained with news slices N38 and N39 (economy in the register of real news, jobs) and
# the press models' NB shares anchored (nlp.train.TOPIC_NB_SHARE_ANCHORS; "Round 31: the retrain"); the press topic
# threshold moved −0.201 → −0.405 by its anchor's rule; the restorer is unchanged. Stored items take the new topics.
# 18 (round 32): a place name the Places step read is no evidence (nlp/evidence.py `place_names`): «Uông Bí» alone
# had governance, «Vàng Danh» welfare, «Bãi Cháy» disaster and negative by the «cháy» of its name; and the Places step
# reads hashtags spelled out (nlp/hashtags.py: «#UongBi» → «Uong Bi»). Stored items take both.
PIPELINE_REVISION = 18
DATA_DIR = PACKAGE_DIR / "data"
# the files read at tagging time (corpus/ is training input only; provenance and licences decide nothing)
_TAG_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".json")


def data_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A short hash of the gazetteer, lexicon and NSW files that tagging reads: an edit re-tags stored items."""
    h = hashlib.sha1()
    for f in sorted(data_dir.rglob("*")):
        rel = f.relative_to(data_dir)
        if f.is_file() and rel.parts[0] != "corpus" and f.suffix in _TAG_DATA_SUFFIXES:
            h.update(rel.as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# [nlp] settings that change what the steps return (how much is read, when text is restored), with their
# defaults: part of the stamp, so changing one re-tags stored items
TAG_SETTINGS: dict[str, int | float] = {"max_chars": 20_000, "classify_chars": 1_500, "min_marked_share": 0.12}


# The [nlp] settings Pipeline.from_config reads, and the only ones it is given: nlp/service.py keeps a loaded pipeline
# under them (and the province), so configs that differ only in how the service feeds it (batch_size,
# tag_seconds_per_tick, fulltext_chars) share the loaded models. A setting from_config reads is named here, or it
# never reaches it (tests/nlp/test_service_pipelines.py reads from_config's keys).
PIPELINE_SETTINGS = ("steps", "model_dir", "model_version", "preload_rows", "workers", *TAG_SETTINGS)


def pipeline_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The PIPELINE_SETTINGS an `[nlp]` table sets: what Pipeline.from_config reads of it."""
    return {k: v for k, v in settings.items() if k in PIPELINE_SETTINGS}


def tag_settings(settings: dict[str, Any]) -> dict[str, int | float]:
    """The TAG_SETTINGS values of an `[nlp]` table, defaults filled in: what Pipeline.from_config uses."""
    return {k: type(d)(settings.get(k, d)) for k, d in TAG_SETTINGS.items()}


def stamp_version(model_version: str, steps: Iterable[str], province: str, data_dir: Path = DATA_DIR,
                  settings: dict[str, int | float] | None = None) -> str:
    """The version stored with each tag row, e.g. "1.0/p2-3fa9c1": model files, code revision, and a
    fingerprint of the steps, the province, the tag settings and the data files. Stored items with another
    stamp are re-tagged."""
    h = hashlib.sha1(data_fingerprint(data_dir).encode())
    h.update(("\0".join(steps) + "\0" + province).encode())
    given = dict(TAG_SETTINGS, **(settings or {}))
    h.update(repr(sorted(given.items())).encode())
    return f"{model_version}/p{PIPELINE_REVISION}-{h.hexdigest()[:6]}"


def nlp_settings(cfg: Any) -> dict[str, Any]:
    if cfg is None:
        return {}
    from vocab.config import section

    return section(cfg, "nlp")


def model_dir(settings: dict[str, Any]) -> Path:
    d = settings.get("model_dir") or ""
    if not d:
        return MODELS_DIR
    p = Path(d)
    return p if p.is_absolute() else PACKAGE_DIR.parent / p


def find_models(directory: Path, version: str = "") -> tuple[Path, Path, str]:
    """(classifier path, restorer path, version): the newest version unless one is named."""
    if version:
        c = directory / f"classifier-{version}.joblib"
        r = directory / f"diacritics-{version}.pkl.gz"
        if not c.exists() or not r.exists():
            raise FileNotFoundError(f"không có mô hình phiên bản {version!r} trong {directory} (cần cả "
                                    f"{c.name} và {r.name}); kiểm tra [nlp] model_version và model_dir")
        return c, r, version
    found = sorted(directory.glob("classifier-*.joblib"), key=lambda p: p.stat().st_mtime)
    found = sorted(found, key=lambda p: _version_key(p.name[len("classifier-"):-len(".joblib")]))
    for c in reversed(found):
        v = c.name[len("classifier-"):-len(".joblib")]
        r = directory / f"diacritics-{v}.pkl.gz"
        if r.exists():
            return c, r, v
    raise FileNotFoundError(f"không có mô hình đã huấn luyện trong {directory}: kiểm tra [nlp] model_dir, hoặc chạy "
                            "`langnghe train`")


def _version_key(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in v.replace("-", ".").split("."))


def province_of(cfg: Any) -> str:
    """The gazetteer's province: `[area] province` only (one province for the whole deployment keeps in_area and
    alerts agreeing; an `[nlp] province` could never be set, the loader refuses keys the defaults lack)."""
    return getattr(getattr(cfg, "area", None), "province", None) or "Quảng Ninh"


def current_stamp(cfg: Any) -> str:
    """The stamp a pipeline loaded from `cfg` writes, without loading the models (`langnghe status` reads it)."""
    s = nlp_settings(cfg)
    _, _, version = find_models(model_dir(s), s.get("model_version", ""))
    return stamp_version(version, s.get("steps") or DEFAULT_STEPS, province_of(cfg), settings=tag_settings(s))
