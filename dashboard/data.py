"""The dashboard's only data layer and only cache.

    cache_resource: the process-wide Database (shared with the scheduler under `langnghe serve`)
    cache_data(ttl): each query, calling a named function in store/; results are DataFrames/dicts

Times come out of the store as naive UTC and are converted to Vietnam time here, for display.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from langnghe import runtime
from langnghe.config import Config
from store import items as store_items
from store import sources as store_sources
from store.db import Database, utcnow

TZ = "Asia/Ho_Chi_Minh"
TTL = 10


@st.cache_resource
def db() -> Database:
    return runtime.get_db()


def config() -> Config:
    return runtime.get_config()


def to_local(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for c in cols:
        if c in df and len(df):
            df[c] = pd.to_datetime(df[c]).dt.tz_localize("UTC").dt.tz_convert(TZ).dt.tz_localize(None)
    return df


@st.cache_data(ttl=TTL, show_spinner=False)
def totals() -> dict[str, int]:
    with db().read() as cur:
        return store_items.totals(cur, utcnow())


@st.cache_data(ttl=TTL, show_spinner=False)
def latest_items(limit: int = 50) -> pd.DataFrame:
    with db().read() as cur:
        df = store_items.latest_items(cur, limit)
    return to_local(df, "published_at")


@st.cache_data(ttl=TTL, show_spinner=False)
def items_over_time(days: int = 14, bucket: str = "day") -> pd.DataFrame:
    with db().read() as cur:
        df = store_items.items_over_time(cur, utcnow() - timedelta(days=days), bucket)
    return to_local(df, "bucket")


@st.cache_data(ttl=TTL, show_spinner=False)
def source_health() -> list[dict[str, Any]]:
    cfg = config()
    with db().read() as cur:
        return store_sources.health(cur, cfg.sources, utcnow())


@st.cache_data(ttl=TTL, show_spinner=False)
def last_collection_at() -> Any:
    with db().read() as cur:
        return store_sources.last_collection_at(cur)
