"""What an import would do, without writing anything: the whole file read and mapped, chunk by chunk.

    rows ─chunks(chunk_rows)─▶ items.map_rows (raw rows not kept) ─▶ Preview
        columns, mapping, rows read, mappable, undated, the first `n` items, every skip reason,
        notes: the table's (filled once its rows are read) and the items' (item_notes: month-first dates)

Reading the whole file means a cap deep inside it shows here, before anything is written; memory stays one
chunk. orchestration.imports.import_file writes with the same chunks, undated and item_notes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Mapping

from collectors.imports.items import ImportSettings, map_rows
from vocab.item import Item


@dataclass
class Preview:
    columns: list[str]
    mapping: dict[str, str]
    rows: int
    items: list[Item] = field(default_factory=list)     # first `n` mapped items
    skipped: Counter[str] = field(default_factory=Counter)
    mappable: int = 0
    undated: int = 0          # mapped rows without a usable date: imported with the import time
    notes: Counter[str] = field(default_factory=Counter)  # NOTES: what the read quietly lost


def undated(items: Iterable[Item]) -> int:
    """How many items carry no date of their own (stored with the import time, published_estimated)."""
    return sum(1 for it in items if "undated" in it.flags)


def chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def preview(rows: Iterable[Mapping[str, Any]], columns: list[str], mapping: Mapping[str, str],
            settings: ImportSettings, fetched_at: datetime, n: int = 10, chunk_rows: int = 5000,
            notes: Counter[str] | None = None, on_chunk: Callable[["Preview"], None] | None = None) -> Preview:
    """What an import would do, without writing: the first `n` items and every skip reason. Reads the
    whole file (so a limit deep inside it shows here, before anything is written) in constant memory.
    `on_chunk(the preview so far)` after each chunk: the page shows the first items after the first chunk, and its
    progress bar moves (a 20,000-row file takes seconds)."""
    pv = Preview(columns=columns, mapping=dict(mapping), rows=0)
    for chunk in chunks(rows, chunk_rows):
        items, skipped = map_rows(chunk, mapping, settings, fetched_at, keep_raw=False)
        pv.rows += len(chunk)
        pv.mappable += len(items)
        pv.undated += undated(items)
        pv.notes.update(item_notes(items))
        pv.skipped.update(skipped)
        pv.items.extend(items[:max(0, n - len(pv.items))])
        if on_chunk is not None:
            on_chunk(pv)
    pv.notes.update(notes or {})  # the table's own, complete once its rows are read
    return pv


def item_notes(items: Iterable[Item]) -> Counter[str]:
    """Notes carried by mapped items (a US-order date)."""
    return Counter("us_date" for it in items if "us_date" in it.flags)
