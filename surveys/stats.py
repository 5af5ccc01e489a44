"""Survey statistics, computed with statsmodels and scipy (never by hand) and worded in Vietnamese.

Inputs are plain pandas objects that store.surveys returns: one answer per respondent for choice and
number questions (missing = NaN, left out of the base), and for multiple choice the chosen options in
long form. Percentages are of the respondents who answered the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, fisher_exact
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from vocab.numbers import fmt_num

ALPHA = 0.05
MIN_GROUP = 5              # a cross-tab leaves out a group of fewer respondents: its column would show each one's answer
MIN_EXPECTED = 5.0         # chi-square is trusted when ≥ 80% of cells expect ≥ 5 and none < 1;
                           # below that a 2×2 table is tested exactly (Fisher), a larger one is not judged


OTHER = "Khác (trả lời riêng)"   # every answer outside the questionnaire's options, as one row


def _known(answers: pd.Series, options: list[str]) -> pd.Series:
    """Answers outside the options (the words typed into Google Forms' «Khác», each given once) as one
    OTHER row: a row per one-off answer made tables of hundreds of rows, each a single identifiable person."""
    if not options:
        return answers
    return answers.where(answers.isin(options) | answers.isna(), OTHER)


def pct(x: float) -> str:
    """0.4567 → '45,7%'."""
    return f"{fmt_num(100 * x, 1)}%"


def p_text(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {fmt_num(p, 3)}"


@dataclass
class FreqRow:
    option: str
    count: int
    share: float
    ci_low: float
    ci_high: float


@dataclass
class Frequency:
    rows: list[FreqRow]
    answered: int              # the base of the percentages
    missing: int


def wilson(count: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval for count/n (statsmodels)."""
    if n == 0:
        return (0.0, 0.0)
    lo, hi = proportion_confint(count, n, alpha=ALPHA, method="wilson")
    return float(lo), float(hi)


def _rows(counts: pd.Series, options: list[str], base: int) -> list[FreqRow]:
    order = list(options) + [o for o in counts.index if o not in options]
    out = []
    for o in order:
        c = int(counts.get(o, 0))
        lo, hi = wilson(c, base)
        out.append(FreqRow(str(o), c, c / base if base else 0.0, lo, hi))
    return out


def frequency(answers: pd.Series, options: list[str]) -> Frequency:
    """One-choice question: count, share and 95% CI per option, in the questionnaire's order."""
    given = _known(answers.dropna().astype(str), options)
    return Frequency(_rows(given.value_counts(), options, len(given)), len(given), int(answers.isna().sum()))


def multi_frequency(chosen: pd.DataFrame, respondents: int, options: list[str]) -> Frequency:
    """Multiple choice: share of the respondents who answered the question that chose each option
    (shares add up to more than 100%). `chosen` has columns respondent, value."""
    answered = int(chosen["respondent"].nunique()) if len(chosen) else 0
    chosen = chosen.assign(value=_known(chosen["value"].astype(str), options)) if len(chosen) else chosen
    counts = chosen.drop_duplicates(["respondent", "value"])["value"].value_counts()
    return Frequency(_rows(counts, options, answered), answered, respondents - answered)


@dataclass
class Likert:
    mean: float                # on 1…k in the scale's order
    sd: float
    top2: float                # share in the two most positive points
    top2_ci: tuple[float, float]
    bottom2: float
    answered: int
    box: int = 2               # points in the top and bottom box: 2, or 1 on a scale of 3 (the middle is neutral)

    def top_words(self, options: list[str]) -> str:
        """«hai mức «Đồng ý»/«Rất đồng ý»» or, on a scale of three, «mức «Đồng ý»»."""
        return _box_words(options[-self.box:], self.box)

    def bottom_words(self, options: list[str]) -> str:
        return _box_words(options[:self.box], self.box)


def _box_words(points: list[str], box: int) -> str:
    return ("hai mức " if box == 2 else "mức ") + "/".join(f"«{p}»" for p in points)


def likert(answers: pd.Series, options: list[str]) -> Likert:
    """Mean score (1 = the first, most negative option) and top-two-box share with its 95% CI (top box
    on a scale of three)."""
    score = {o: i + 1 for i, o in enumerate(options)}
    s = answers.dropna().astype(str).map(score).dropna()
    n = len(s)
    if n == 0:
        return Likert(float("nan"), float("nan"), 0.0, (0.0, 0.0), 0.0, 0, 1 if len(options) <= 3 else 2)
    k = len(options)
    box = 1 if k <= 3 else 2   # on Không đồng ý / Phân vân / Đồng ý, a top two would count «Phân vân» as agreeing
    top = int((s >= k - box + 1).sum())
    bottom = int((s <= box).sum())
    return Likert(float(s.mean()), float(s.std(ddof=1)) if n > 1 else 0.0, top / n, wilson(top, n), bottom / n, n,
                  box)


@dataclass
class Numbers:
    mean: float
    median: float
    minimum: float
    maximum: float
    answered: int


def numbers(answers: pd.Series) -> Numbers:
    s = pd.to_numeric(answers.astype(str).str.replace(",", ".", regex=False), errors="coerce").dropna()
    if s.empty:
        return Numbers(float("nan"), float("nan"), float("nan"), float("nan"), 0)
    return Numbers(float(s.mean()), float(s.median()), float(s.min()), float(s.max()), len(s))


@dataclass
class CrossTab:
    counts: pd.DataFrame       # rows: answer options · columns: groups of the demographic question
    shares: pd.DataFrame       # column percentages (share of each group)
    chi2: float
    p: float
    dof: int
    reliable: bool             # cells large enough for the test
    significant: bool
    note: str                  # plain Vietnamese, for staff
    notable: list[tuple[str, str, float, float]] = field(default_factory=list)  # (group, option, group share, overall share)
    exact: bool = False        # a 2×2 table too small for χ²: p is Fisher's exact test (scipy)


def crosstab(answers: pd.Series, groups: pd.Series, options: list[str], group_options: list[str],
             *, question: str = "", by: str = "") -> CrossTab:
    """Answers by group, column percentages, and a chi-square test of independence (scipy); a 2×2 table
    whose cells are too small for chi-square gets Fisher's exact test instead."""
    df = pd.DataFrame({"a": answers, "g": groups}).dropna()
    df = df.astype(str)
    df["a"], df["g"] = _known(df["a"], options), _known(df["g"], group_options)
    rows = [o for o in options if o in set(df["a"])] + sorted(set(df["a"]) - set(options))
    cols = [o for o in group_options if o in set(df["g"])] + sorted(set(df["g"]) - set(group_options))
    counts = pd.crosstab(df["a"], df["g"]).reindex(index=rows, columns=cols, fill_value=0)
    small = [str(g) for g in counts.columns if counts[g].sum() < MIN_GROUP]
    counts = counts.drop(columns=small)
    counts = counts.loc[counts.sum(axis=1) > 0]
    shares = counts / counts.sum(axis=0).replace(0, np.nan)
    left_out = (f" Nhóm dưới {MIN_GROUP} phiếu không tách riêng để không lộ câu trả lời của từng người: "
                + ", ".join(f"«{g}»" for g in small) + ".") if small else ""
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return CrossTab(counts, shares, float("nan"), float("nan"), 0, False, False,
                        f"Không đủ nhóm để so sánh theo {by.lower() or 'nhóm'}.{left_out}")
    chi2, p, dof, expected = chi2_contingency(counts.to_numpy())
    reliable = bool((expected >= MIN_EXPECTED).mean() >= 0.8 and expected.min() >= 1)
    exact = not reliable and counts.shape == (2, 2)
    if exact:  # two groups, two answers, few forms: Fisher's exact test needs no large cells
        p, reliable = float(fisher_exact(counts.to_numpy()).pvalue), True
    significant = reliable and p < ALPHA
    notable = _notable(counts, shares) if significant else []
    test = (f"kiểm định chính xác Fisher, {p_text(float(p))}" if exact
            else f"χ² = {fmt_num(float(chi2), 1)}; bậc tự do {int(dof)}; {p_text(float(p))}")
    return CrossTab(counts, shares, float(chi2), float(p), int(dof), reliable, significant,
                    _crosstab_note(reliable, significant, test, by, notable) + left_out, notable, exact)


def _notable(counts: pd.DataFrame, shares: pd.DataFrame) -> list[tuple[str, str, float, float]]:
    """The cells that differ most from the overall share (largest adjusted residuals), up to three."""
    total = counts.to_numpy().sum()
    overall = counts.sum(axis=1) / total
    col_n = counts.sum(axis=0)
    out = []
    for opt in counts.index:
        for grp in counts.columns:
            p0 = overall[opt]
            se = np.sqrt(p0 * (1 - p0) / col_n[grp]) if col_n[grp] and 0 < p0 < 1 else np.inf
            z = (shares.loc[opt, grp] - p0) / se
            out.append((abs(z), str(grp), str(opt), float(shares.loc[opt, grp]), float(p0)))
    out.sort(reverse=True)
    return [(g, o, s, p0) for z, g, o, s, p0 in out[:3] if z > 2 and s > p0]


def _crosstab_note(reliable: bool, significant: bool, test: str, by: str,
                   notable: list[tuple[str, str, float, float]]) -> str:
    by = by.lower() or "nhóm"
    if not reliable:
        return (f"Số phiếu trong một số ô quá ít để kết luận về khác biệt theo {by} ({test}); "
                "cần gộp nhóm hoặc thêm phiếu.")
    if not significant:
        return f"Không thấy khác biệt có ý nghĩa thống kê theo {by} ({test})."
    parts = [f"nhóm «{g}» chọn «{o}» {pct(s)} (chung {pct(p0)})" for g, o, s, p0 in notable]
    detail = ": " + "; ".join(parts) if parts else ""
    return f"Có khác biệt có ý nghĩa thống kê theo {by} ({test}){detail}."


@dataclass
class WaveRow:
    option: str
    share_a: float
    share_b: float
    p: float
    significant: bool
    exact: bool = False        # Fisher's exact test (cells expect < 5), not the two-proportion z-test


def compare_waves(a: pd.Series, b: pd.Series, options: list[str]) -> list[WaveRow]:
    """Per option, the share in wave A and wave B and a two-proportion z-test (statsmodels), or Fisher's
    exact test (scipy) when a cell of the 2×2 table expects fewer than 5 forms."""
    a, b = _known(a.dropna().astype(str), options), _known(b.dropna().astype(str), options)
    ca, cb = a.value_counts(), b.value_counts()
    out = []
    for o in list(options) + sorted((set(ca.index) | set(cb.index)) - set(options)):
        x = np.array([int(ca.get(o, 0)), int(cb.get(o, 0))])
        n = np.array([len(a), len(b)])
        table = np.array([x, n - x]).T                     # rows: wave A, wave B · columns: chose, did not
        expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / max(n.sum(), 1)
        exact = False
        if n.min() == 0 or x.sum() == 0 or x.sum() == n.sum():
            p = float("nan")
        elif expected.min() < MIN_EXPECTED:   # few forms or a rare option: the z-test's normal curve is off
            p, exact = float(fisher_exact(table).pvalue), True
        else:
            _, p = proportions_ztest(x, n)
        out.append(WaveRow(o, float(x[0] / n[0]) if n[0] else 0.0, float(x[1] / n[1]) if n[1] else 0.0, float(p),
                           bool(p == p and p < ALPHA), exact))
    return out


def wave_note(rows: list[WaveRow], question: str) -> str:
    moved = [r for r in rows if r.significant]
    if not moved:
        return f"«{question}»: không có thay đổi có ý nghĩa thống kê giữa hai đợt."
    parts = [f"«{r.option}» {pct(r.share_a)} → {pct(r.share_b)} ({p_text(r.p)})" for r in moved]
    return f"«{question}»: thay đổi có ý nghĩa thống kê: " + "; ".join(parts) + "."
