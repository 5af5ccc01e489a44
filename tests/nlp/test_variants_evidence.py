"""nlp.eval.sentiment_variants reads as the product does (round 32): after the classifier, the language and the
insult rule, round 29's evidence rule (nlp/evidence.py) — a polarity with no content syllable, no opinion word, no
negator and no polar emoji in the text the classifier read is neutral — as `nlp.steps.Sentiment` applies it. The
classifier is stubbed; no data set is read."""

from nlp.eval.sentiment_variants import predict


class _AlwaysPolar:
    """Reads every row as `label`, whatever its text."""

    def __init__(self, label: str):
        self.label = label

    def transform(self, texts):
        return list(texts)

    def predict_sentiment(self, X):  # noqa: N803
        return [self.label] * len(X)


def _read(label: str, texts: list[str]) -> list[str]:
    return predict(_AlwaysPolar(label), [("", t) for t in texts], [(f"\n{t}", "vi") for t in texts])


def test_a_near_empty_line_without_a_cue_is_neutral():
    assert _read("positive", ["được", "ừ", "thế à"]) == ["neutral"] * 3
    assert _read("negative", ["được", "ừ"]) == ["neutral"] * 2


def test_a_line_with_content_or_a_cue_keeps_the_models_polarity():
    assert _read("negative", ["Đường ở xã ngập mấy hôm nay rồi", "tệ", "không"]) == ["negative"] * 3
    assert _read("positive", ["Cán bộ phường làm thủ tục nhanh", "tốt"]) == ["positive"] * 2


def test_neutral_stays_neutral():
    assert _read("neutral", ["được", "Cán bộ phường làm thủ tục nhanh"]) == ["neutral"] * 2
