"""Pipeline steps. Each step is a small class that owns the fields it adds to an item dict.

    class MyStep(Step):
        name = "mystep"                    # used in [nlp] steps = [...]
        adds = ("my_field",)               # fields it owns (tests check nothing else is added)
        def __init__(self, res: Resources): ...
        def run(self, items: list[dict]) -> None: ...   # add the fields in place, batch at a time

A step may refuse an item only by raising DropItem(reason) from `run_one` (the pipeline records
the reason and keeps the row in the output, marked dropped). Register a step with @register.
Internal working fields start with "_" and are removed from the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from nlp import evidence as ev
from nlp.hashtags import Known, hashtag_text, known_names
from nlp import langid
from nlp.classify import Classifier, has_polar_emoji
from vocab.casing import QUOTE_CHARS, cut_at_word
from vocab.folding import fold_joined, has_marks
from vocab.item import REPLY_FLAG
from nlp.gazetteer import Gazetteer
from nlp.mixed import resolve_marked
from nlp.normalise import Normaliser
from nlp.titles import display_title, names_in
from store.search_query import place_readings


class DropItem(Exception):
    """Raised by a step to drop one item; the message is the reason."""


@dataclass
class Resources:
    """What steps load once: shared between steps and across batches."""

    normaliser: Normaliser
    gazetteer: Gazetteer
    classifier: Classifier
    max_chars: int = 20_000
    classify_chars: int = 1_500


class Step:
    name = ""
    adds: tuple[str, ...] = ()

    def __init__(self, res: Resources):
        self.res = res

    def run(self, items: list[dict]) -> None:
        for it in items:
            if it.get("_dropped"):
                continue
            try:
                self.run_one(it)
            except DropItem as exc:
                it["_dropped"] = f"{self.name}: {exc}"

    def run_one(self, item: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


STEPS: dict[str, type[Step]] = {}


def register(cls: type[Step]) -> type[Step]:
    if cls.name in STEPS:
        raise ValueError(f"duplicate step {cls.name}")
    STEPS[cls.name] = cls
    return cls


@register
class Normalise(Step):
    """NFC, entities, whitespace, tone placement, teencode; restores diacritics when missing."""

    name = "normalise"
    adds = ("no_diacritics", "title_restored", "text_restored", "folded", "_title", "_text")

    def run_one(self, it: dict) -> None:
        n = self.res.normaliser
        title = str(it.get("title") or "")
        text = str(it.get("text") or "")[: self.res.max_chars * 2]
        # = n.normalise(text), keeping the text as prepared before restoration (each text is prepared once)
        text_p = n.prepare(text)
        flag_text = bool(text_p) and n.is_unaccented(text_p)
        text_n = n.restore(text_p) if flag_text else text_p
        # judge the title together with the body: a title alone is often too short to tell
        both_flag = n.is_unaccented(f"{title} {text[:2000]}") if title else flag_text
        title_p = n.prepare(title)
        title_n = n.restore(title_p) if both_flag and title_p else title_p
        if both_flag and not flag_text and text_n:
            text_n = n.restore(text_p)
        it["_title"] = title_n
        it["_text"] = text_n
        it["no_diacritics"] = bool(both_flag)
        # what stories, alerts and reports show for an item written without diacritics
        it["title_restored"] = title_n if both_flag and title_n != title else ""
        # and the start of its text: a rapid report quotes a post verbatim and gives this reading after it (reports
        # load no model); the text's own restoration above, no second pass
        it["text_restored"] = restored_start(text_n) if both_flag and text_n != text_p else ""
        raw = f"{title} {text}" if not both_flag else _restored_for_folding(title_p, text_p, title_n, text_n)
        it["folded"] = fold_joined(raw[: self.res.max_chars])


RESTORED_TEXT_CHARS = QUOTE_CHARS  # = reports.rapid.first_summary's quote: the reading covers what is quoted


def restored_start(text: str, limit: int = RESTORED_TEXT_CHARS) -> str:
    """The first `limit` characters of a restored text on one line, cut at a word (stored in item_tags)."""
    return cut_at_word(" ".join(text.split()), limit)


def _restored_for_folding(title_p: str, text_p: str, title_n: str, text_n: str) -> str:
    """Title and text as restored, or as typed when folding both gives the same: restoration only puts marks
    on letters (each word becomes a form whose folded spelling is the word's own, in the word's case), so a
    prepared text in ASCII folds to what its restored form folds to, at the same length — and folding ASCII is
    lowercasing, not the Unicode decomposition (≈ 0.1 ms of a 450-character item, issue 13)."""
    typed = f"{title_p} {text_p}"
    if typed.isascii() and len(title_p) == len(title_n) and len(text_p) == len(text_n):
        return typed
    return f"{title_n} {text_n}"


@register
class Language(Step):
    name = "language"
    adds = ("lang",)

    def run_one(self, it: dict) -> None:
        it["lang"] = langid.detect(f"{it.get('_title', '')} {it.get('_text', '')}",
                                   self.res.normaliser.restorer.cands)


@register
class Places(Step):
    name = "places"
    # place_reads: the names read with their marks where the text writes them without ("Vang Danh" → "vàng danh"),
    # so that search and watchlists typed "Vàng Danh" find the item (store.search_query.place_readings)
    # title_restored (normalise's): a social item's title as shown, with the names read in it capitalised
    # _place_names (round 32): the names read, for the Topics and Sentiment steps' evidence rule; not an output field
    adds = ("places", "place_details", "in_area", "place_reads", "title_restored", "_place_names")

    def _known(self) -> Known:
        """The gazetteer's names joined, for hashtags («#baichay»); built once per step."""
        if getattr(self, "_joined", None) is None:
            g = self.res.gazetteer
            self._joined = known_names(g.index, lambda k: k not in g.common_words
                                       and all(e.strong for e in g.index[k]))
        return self._joined

    def run_one(self, it: dict) -> None:
        # a blank line between title and text: a name may run over one line break (OCR), not over this
        title = str(it.get("_title", ""))
        # match on what was written (restoration could pick a wrong accent on a name)
        # round 32: the hashtags spelled out («#UongBi» → «Uong Bi»: nlp/hashtags.py), after the title and before the
        # text, so that a long text's cut never drops them
        if it.get("no_diacritics"):
            title = str(it.get("title") or "")
            text = _with_hashtags(title, str(it.get("text") or ""), self._known())
            r = self.res.gazetteer.resolve(text, accented=False, max_chars=self.res.max_chars)
        else:  # accent-exact, and names typed without marks in it ("ở uong bi"): nlp/mixed.py
            text = _with_hashtags(title, str(it.get("_text", "")), self._known())
            r = resolve_marked(text, self.res.gazetteer, self.res.normaliser.restorer, self.res.max_chars)
        it["places"] = r.places
        it["place_details"] = r.details
        it["in_area"] = r.in_area
        it["_place_names"] = ev.place_names(r.spans)
        it["place_reads"] = place_readings(text[:self.res.max_chars], r.details)
        if it.get("source_type") == "social":
            it["title_restored"] = shown_social_title(it, names_in(r.spans, len(title)))


def _with_hashtags(title: str, text: str, known: Known | None = None) -> str:
    """What the Places step reads: the title, the hashtags of title and text spelled out, then the text, a blank
    line between each (a name may run over one line break, not over this)."""
    tags = hashtag_text(f"{title}\n{text}", known) if "#" in title or "#" in text else ""
    return f"{title}\n\n{tags}\n\n{text}" if tags else f"{title}\n\n{text}"


def shown_social_title(it: dict, names: list[tuple[str, ...]]) -> str:
    """A social item's `title_restored`: its title as shown (restored when typed without any mark), with the
    place names read in it capitalised and a capital first letter (nlp/titles.py); "" when that is the title as
    published. Press titles are never changed. A title with marks keeps its letters, even when normalise
    restored it (an item judged unmarked as a whole): "Ông Nguyen Van A" is never shown as "Ông Nguyễn Văn Á"."""
    title = str(it.get("title") or "")
    if has_marks(title):  # written with marks: shown as written (shown_title_sql), capitals only
        shown = display_title(title, names, keep_letters=True)
    else:
        shown = display_title(it.get("title_restored") or title, names)
    return shown if shown != title else ""


_SPACES = re.compile(r"\s+")


COPY_WINDOW = 300  # characters of the text's start a copied title may sit after (a content warning, a label)


def title_is_copy(title: str, text: str) -> bool:
    """The title is the text's own first line (social collectors title a post with it, cut at a word boundary and
    ended with "…": collectors._social.title_from_text): not a title of its own. The copy may follow a short
    prefix of the stored text (Mastodon stores a content warning before the post), and must end at a word
    boundary ("Xe" is no copy of "Xem…")."""
    t = _SPACES.sub(" ", title).strip().rstrip("…").rstrip()
    if not t:
        return False
    x = _SPACES.sub(" ", text).strip()
    i = x[: len(t) + COPY_WINDOW].find(t)
    if i < 0 or (i > 0 and x[i - 1].isalnum()):
        return False
    end = i + len(t)
    return end >= len(x) or not x[end].isalnum()


def reads_as_comment(it: dict) -> bool:
    """Round 12: the item's topics are read by the comment topic model — a social item (`source_type` "social":
    posts and comments from social collectors, social imports and collaborators' social reports; survey answers
    are tagged as such) without a title of its own (none, or a copy of the text's beginning). A social item with a
    real title (a forum thread, a shared article) reads like an article; press items, "ctv" reports and rows
    without a source type (evaluation harnesses, `langnghe tag` input without the field) keep the press model."""
    return it.get("source_type") == "social" and _untitled(it)


def _untitled(it: dict) -> bool:
    """The row has no title of its own (`no_own_title` of its title and text)."""
    return no_own_title(str(it.get("title") or ""), str(it.get("text") or ""))


def no_own_title(title: str, text: str) -> bool:
    """No title of its own: none, or a copy of the text's beginning (`title_is_copy`)."""
    return not title.strip() or title_is_copy(title, text)


# Round 18: the flags that mark an item as a comment by its structure — a citizen's comment under a page's post, a
# reply to one (collectors/facebook_page.py map_comment) and a survey's free-text answer (orchestration/surveys.py).
# "reply" (names): a reply in a thread of any network, the generic flag — Mastodon (`in_reply_to_id`) and Bluesky
# (the record's `reply`) replies. Messenger and Zalo OA messages and imported rows carry no such flag and keep the
# press topic models; Reddit comments and forum replies are not collected as items (docs/SOURCES.md).
COMMENT_FLAGS = frozenset({"fb_comment", "fb_reply", "survey_answer", REPLY_FLAG})


def is_comment(flags: Iterable[str] | str | None) -> bool:
    """The item is a comment or a reply by its structure (`COMMENT_FLAGS`), whatever its length or source type.
    Flags of another shape (a `langnghe tag` line's own JSON: one string, a number) are read, never a crash."""
    if isinstance(flags, str):
        return flags in COMMENT_FLAGS
    if not isinstance(flags, (list, tuple, set, frozenset)):
        return False
    return any(isinstance(f, str) and f in COMMENT_FLAGS for f in flags)


def topics_by_comment_model(title: str, text: str, flags: Iterable[str] | None) -> bool:
    """Round 18: which topic model reads an item — the comment model (True) only for a comment or reply by its
    structure (`is_comment`: the collector's flags), never for a post. Why not by source type and length (round
    12's route): our own held-out social *posts* (median 24 words) then went to the comment model and read worse,
    under issue 13's floor; by structure no post reaches it. A comment with a title of its own (none is collected
    so; collectors title one with a copy of its first line) reads as the item it is. The source type does not
    matter (no parameter for it): a comment under a page configured as press is still a comment."""
    return is_comment(flags) and no_own_title(title, text)


def item_topics_by_comment_model(it: dict) -> bool:
    """`topics_by_comment_model` of a pipeline row (id, title, text, flags; its source type is not read)."""
    return topics_by_comment_model(str(it.get("title") or ""), str(it.get("text") or ""), it.get("flags"))


def comment_reading(it: dict) -> tuple[bool, bool]:
    """(`reads_as_comment`, `item_topics_by_comment_model`) of a pipeline row, its title compared with its text
    once (`title_is_copy` scans the text's start: it ran up to three times per social item on the tagging path),
    and only for a social item or a comment: for the others neither depends on the title."""
    social = it.get("source_type") == "social"
    comment = is_comment(it.get("flags"))
    untitled = (social or comment) and _untitled(it)
    return social and untitled, comment and untitled


def classify_text(it: dict, limit: int, reading: tuple[bool, bool] | None = None) -> str:
    """What the classifiers read: title, then the text. A social post's title that only repeats its first line
    (collectors title posts so: `reads_as_comment`) is left out, so that the post is read as the comment it is
    — by the comment sentiment model, as the social lines were trained and measured. With the copy it read as a
    titled item, by the press model: sentiment macro-F1 0.60 instead of 0.88 on the social held-out lines.
    `reading`: the row's `comment_reading`, when the caller has it already."""
    title = "" if any(reading or comment_reading(it)) else it.get("_title", "")
    return f"{title}\n{it.get('_text', '')[:limit]}"


class _Classified(Step):
    """Shared: features are computed once per batch for topics and sentiment."""

    def _features(self, items: list[dict]):
        """Each row's `_X`: (the batch's features, its row, whether the comment topic model reads it, the evidence
        of the text it reads); its `comment_reading` is worked out once, for what it reads and which topic model
        reads it."""
        key = "_X"
        live = [it for it in items if not it.get("_dropped")]
        if live and key not in live[0]:
            readings = [comment_reading(it) for it in live]
            texts = [classify_text(it, self.res.classify_chars, r) for it, r in zip(live, readings)]
            X = self.res.classifier.transform(texts)
            for i, (it, r, t) in enumerate(zip(live, readings, texts)):
                it[key] = (X, i, r[1], ev.evidence(t, names=it.get("_place_names", ev.NO_NAMES)))
        return live

    @staticmethod
    def _evidence(it: dict) -> ev.Evidence:
        """Round 29: what the item's classified text shows (nlp/evidence.py): a near-empty item keeps a topic only
        with its keyword, a polarity only with an opinion word, a negator or a polar emoji."""
        return it["_X"][3]


@register
class Topics(_Classified):
    name = "topics"
    adds = ("topics",)

    def run(self, items: list[dict]) -> None:
        live = self._features(items)
        if not live:
            return
        X = live[0]["_X"][0]
        clf = self.res.classifier
        kw: dict = {}
        comment = getattr(clf, "comment_topics", None)
        if comment is not None:  # round 18: comments and replies (by their flags) by the comment model, up to its length
            limit = self.res.classify_chars
            social = [it["_X"][2] and comment.reads(len(it.get("_text", "")[:limit].split()))
                      for it in live]
            if any(social):
                kw = {"social": social, "X_social": self._comment_columns(X, [i for i, s in enumerate(social) if s])}
        if clf.info.get("topic_rule_untitled"):  # a model with a rule for items without a title (off since round 11)
            preds = clf.predict_topics(X, untitled=[not it.get("_title") for it in live],
                                       n_words=[len(it.get("_text", "").split()) for it in live], **kw)
        else:  # the shipped model: no word counts on the tagging path
            preds = clf.predict_topics(X, **kw)
        for it, p in zip(live, preds):
            it["topics"] = ev.keep_topics(p, self._evidence(it)) if it.get("lang", "vi") == "vi" else []

    def _comment_columns(self, X, rows: list[int]):  # noqa: N803
        """The comment model's input: the topic columns of the text alone, as it was trained (the social lines
        have no title); classify_text already left a copied title out."""
        return self.res.classifier.topic_columns(X[rows])


def _insult_terms() -> tuple[set[tuple[str, ...]], int]:
    from nlp.classify import load_lexicon

    terms = {tuple(t.lower().split()) for t, tag in load_lexicon() if tag == "insult"}
    return terms, max((len(t) for t in terms), default=1)


_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def has_insult(text: str, terms: set[tuple[str, ...]], maxlen: int) -> bool:
    ws = _WORDS.findall(text.lower())
    for i in range(len(ws)):
        for L in range(1, min(maxlen, len(ws) - i) + 1):
            if tuple(ws[i:i + L]) in terms:
                return True
    return False


@register
class Sentiment(_Classified):
    """The classifier's sentiment; the team's insult/profanity rule (lexicon tag "insult") forces negative."""

    name = "sentiment"
    adds = ("sentiment",)

    def __init__(self, res: Resources):
        super().__init__(res)
        self.insults, self.insult_len = _insult_terms()

    def run(self, items: list[dict]) -> None:
        live = self._features(items)
        if not live:
            return
        X = live[0]["_X"][0]
        preds = self.res.classifier.predict_sentiment(X)
        for it, p in zip(live, preds):
            s = read_sentiment(p, it.get("lang", "vi"), it.get("title") or "", it.get("text") or "",
                               self.insults, self.insult_len)
            it["sentiment"] = s if s == "neutral" else ev.keep_sentiment(s, self._evidence(it))


def read_sentiment(model: str, lang: str, title: str, text: str, insults: set[tuple[str, ...]], insult_len: int) -> str:
    """The Sentiment step's reading of one item from the model's: neutral in another language, or with no word
    and no polar emoji ("12345", "=))"); negative with a listed insult. nlp/eval/sentiment_variants reads the same."""
    if lang != "vi" and not (lang == "none" and has_polar_emoji(f"{title} {text}")):
        return "neutral"
    if model != "negative" and has_insult(f"{title} {text[:5000]}", insults, insult_len):
        return "negative"
    return model


StepFactory = Callable[[Resources], Step]
