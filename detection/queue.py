"""Alert queue logic without Streamlit: the review order and which actions a status allows."""

from __future__ import annotations

import pandas as pd

from vocab.alerts import ALLOWED, PRIORITY_RANK, SEVERITY_RANK, STATUS_RANK



def sort_queue(df: pd.DataFrame) -> pd.DataFrame:
    """Open before closed; within a group: severity, then priority, then newest (the ranks of vocab/alerts.py;
    store.alerts.list_alerts(order="queue") reads in the same order)."""
    if not len(df):
        return df
    key = df.assign(
        _s=[STATUS_RANK.get(s, 9) for s in df["status"]],
        _open=[0 if STATUS_RANK.get(s, 9) <= 3 else 1 for s in df["status"]],
        _v=[SEVERITY_RANK.get(s, 9) for s in df["severity"]],
        _p=[PRIORITY_RANK.get(p, 9) for p in df["priority"]],
    )
    key = key.sort_values(["_open", "_v", "_p", "_s", "raised_at"], ascending=[True, True, True, True, False])
    return key.drop(columns=["_s", "_open", "_v", "_p"]).reset_index(drop=True)


def allowed_actions(status: str) -> tuple[str, ...]:
    """Review actions offered for an alert in `status` (notes and priority are always possible)."""
    out = []
    nxt = ALLOWED.get(status, ())
    for action, state in (("acknowledge", "acknowledged"), ("assign", "assigned"), ("resolve", "resolved"),
                          ("dismiss", "dismissed"), ("reopen", "reopened")):
        if action == "acknowledge" and status == "assigned":
            continue  # an assigned alert is already in someone's hands: "Tiếp nhận" would undo that
        if state in nxt or (action == "assign" and status == "assigned"):
            out.append(action)
    if status != "merged":
        out.append("merge")
    return tuple(out)
