"""Build the document-frequency prior that StoryIndex starts from (nlp/stories_idf.json.gz).

A fresh index has seen no documents, so every character n-gram would weigh the same and common
syllables ("nguoi", "cua") would make unrelated items look alike. The prior gives it the document
frequencies of n-grams in ordinary Vietnamese news, folded the same way as the items.

    .venv/bin/python -m detection.stories_prior ../shared/data/shippable/news_vntc_10topics_sample/train.jsonl

Source: VNTC 10-topic sample, train split (5,000 news articles, MIT; see its PROVENANCE.md). Only
n-grams in at least 0.3% of documents are kept, with their counts; the text itself is not shipped.
"""

from __future__ import annotations

import gzip
import html
import json
import sys
from pathlib import Path

PRIOR_PATH = Path(__file__).with_name("stories_idf.json.gz")


def build(path: str, *, text_chars: int = 600, ngram: tuple[int, int] = (3, 5), min_share: float = 0.003) -> dict:
    from sklearn.feature_extraction.text import CountVectorizer

    from vocab.folding import fold

    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs.append(fold(html.unescape(f"{r.get('title', '')}\n{r.get('text', '')}"))[:text_chars])
    cv = CountVectorizer(analyzer="char_wb", ngram_range=ngram, lowercase=False, binary=True,
                         min_df=max(2, int(min_share * len(docs))))
    X = cv.fit_transform(docs)
    df = X.sum(axis=0).A1
    vocab = cv.get_feature_names_out()
    grams = {str(g): int(d) for g, d in sorted(zip(vocab, df), key=lambda t: -t[1])}
    return {"source": "VNTC 10-topic sample, train split (MIT)", "n_docs": len(docs), "text_chars": text_chars,
            "ngram_range": list(ngram), "df": grams}


def load_prior() -> dict | None:
    try:
        with gzip.open(PRIOR_PATH, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


if __name__ == "__main__":
    data = build(sys.argv[1])
    with gzip.open(PRIOR_PATH, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{PRIOR_PATH}: {len(data['df'])} n-grams from {data['n_docs']} documents")
