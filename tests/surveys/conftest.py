from __future__ import annotations

import io

import pytest

from tests.conftest import database, make_config


@pytest.fixture
def cfg(tmp_path):
    return make_config(tmp_path)


@pytest.fixture
def db(cfg):
    d = database(cfg.storage.db_path)  # a copy of the worker's migrated file
    yield d
    d.close()


def csv_file(rows: list[dict[str, str]]) -> io.BytesIO:
    import csv

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return io.BytesIO(buf.getvalue().encode("utf-8"))
