"""Nhập dữ liệu: bring in posts exported from other tools (CSV, JSONL, XLSX) while `serve` runs.

    st.file_uploader ─collectors.imports.open_table─▶ columns, streamed rows (bounded: imports.max_*);
        │ opened once per upload (data.import_opened: an XLSX's zip check and workbook open, kept by the upload's
        │ SHA-1 in the session), its columns and previews read from it, not on every click (data.import_preview)
        │ mapping: one select box per field, proposed by guess_mapping from the headers
        │ preview: imports.preview (counts, every skip reason) under a progress bar, the first items shown after
        │   its first 1.000 rows, before the rest is read (data.import_preview) — nothing written yet
        ▼ "Nhập" (analysts): actions.import_upload ─▶ orchestration.imports.import_file (the `langnghe import` path:
          idempotent insert + import_log, then full text and NLP; the file as the page opened it) + the audit row

The command line cannot write while `serve` holds the database, so this page is how staff import
on a running deployment. No SQL here.

Errors: an ImportFormatError (the file's own fault) is said with its words; any other exception while opening,
previewing or importing (a bug, a disk error) is logged with its traceback for the maintainer and said in Vietnamese
(`unexpected_text`, `unexpected_failed_text`), never as a traceback on the page (round 25). Nothing is left half
written: each chunk's items and its import_log totals commit together, so a failure keeps the chunks before it whole,
rolls back the one in flight, and the run's import_log row says «lỗi».
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from collectors import imports as imp
from dashboard import actions, data, gate, ui
from dashboard.labels import SOURCE_TYPES, md, number, skip_label
from orchestration import imports as importer

log = logging.getLogger("langnghe.dashboard.imports")

PAGE = {"title": "Nhập dữ liệu", "icon": ":material/upload_file:", "order": 65, "min_role": "analyst"}

FIELD_LABELS = {
    "title": "Tiêu đề", "text": "Nội dung", "url": "Liên kết", "published_at": "Thời gian đăng",
    "author": "Người đăng", "outlet": "Nơi đăng (trang, nhóm)", "place": "Địa bàn", "source_type": "Loại nguồn",
    "id": "Mã bài trong tệp",
}
NONE = "— (không có)"
TYPES = ["csv", "tsv", "txt", "jsonl", "ndjson", "json", "xlsx"]
# a new office's first visit: what to do first, and that nothing is written before the button
NO_IMPORT = ("Chưa nhập tệp nào. Chọn một tệp ở ô phía trên: trang cho xem trước các dòng nhập được và lý do bỏ "
             "qua từng dòng; chưa có gì được ghi cho đến khi bấm nút «Nhập …».")


def render() -> None:
    st.title("Nhập dữ liệu từ tệp")
    st.caption("Bài đăng xuất từ công cụ khác (CSV, JSONL, XLSX): chọn cột cho từng trường, xem trước, rồi "
               "nhập. Nhập lại cùng một tệp không tạo tin trùng. Tin nhập vào được phân tích và theo dõi như "
               "tin thu thập tự động.")
    ui.flash()
    up = st.file_uploader(f"Tệp dữ liệu (CSV, JSONL, XLSX; tối đa {upload_limit_mb(data.config())} MB)", type=TYPES,
                          key="imp_file", max_upload_size=upload_limit_mb(data.config()))
    if up is None:
        data.forget_import()
        ui.empty("Chưa chọn tệp. Tệp cần có dòng tiêu đề cột; thời gian không ghi múi giờ được hiểu là giờ "
                 "Việt Nam. Cũng có thể nhập bằng lệnh `langnghe import TỆP --preview` khi máy chủ đang dừng.")
        _recent()
        return
    try:
        _with_upload(up)
    except Exception:  # not the file's known faults (ImportFormatError, said where they arise): a bug, a disk error
        log.exception("import page: reading %r failed", imp.stored_name(up.name))
        st.error(unexpected_text(up.name), icon=":material/error:")  # the upload box above stays usable
    finally:
        if not st.session_state.pop(SAID, False):  # the run stopped before the button: «Đã nhập …» where it stopped
            ui.flash("import")


def _with_upload(up: Any) -> None:
    """The page once a file is chosen: its mapping, preview and import button."""
    cfg = data.config()
    try:
        with st.spinner("Đang mở tệp…"):
            upload = data.import_opened(up)  # once per upload: its columns, previews and import read it
    except imp.ImportFormatError as exc:
        st.error(f"Không đọc được tệp: {md(exc)}")  # names columns/sheets of the file
        return
    columns = upload.columns
    mapping = _mapping_form(columns, imp.guess_mapping(columns), up.name)
    defaults = imp.settings_for(cfg, up.name).source
    c = st.columns([1.2, 1.2, 1])
    source = c[0].text_input("Tên nguồn", value=defaults.name, key="imp_source",
                             help="Tin nhập vào mang tên nguồn này (trang Nguồn tin, bộ lọc Tin bài).")
    outlet = c[1].text_input("Nơi đăng khi tệp không có cột này", value="", key="imp_outlet")
    default_type = defaults.source_type
    stype = c[2].selectbox("Loại nguồn mặc định", list(SOURCE_TYPES), key="imp_type",
                           index=list(SOURCE_TYPES).index(default_type) if default_type in SOURCE_TYPES else 0,
                           format_func=lambda k: SOURCE_TYPES[k], placeholder="Chọn loại nguồn")
    try:
        imp.check_mapping(mapping, columns)
    except (imp.ImportFormatError, KeyError) as exc:
        st.error(f"Ánh xạ cột chưa dùng được: {md(exc)}")
        return
    try:
        importer.check_source_name(cfg, data.db(), source.strip() or defaults.name)
    except imp.ImportFormatError as exc:
        st.error(f"Tên nguồn chưa dùng được: {md(exc)}")
        return
    settings = imp.settings_for(cfg, up.name, source=source.strip() or None, outlet=outlet.strip() or None,
                                source_type=stype)
    shown = st.empty()  # the preview, emptied if the import fails: nothing left above the error reads as imported
    with shown.container():
        items_box, bar = st.empty(), st.empty()
        step = _progress(items_box, bar, settings.utc_offset_hours)
        try:
            pv = data.import_preview(upload, tuple(sorted(mapping.items())), settings, cfg.imports.preview_rows,
                                     cfg.imports.chunk_rows, on_progress=step)
        except imp.ImportFormatError as exc:
            bar.empty()
            st.error(f"Không đọc được tệp: {md(exc)}")  # names columns/sheets of the file
            return
        bar.empty()
        if not pv.rows:
            st.warning("Tệp không có dòng dữ liệu nào.")
            return
        step(pv, None)  # the first items, when the preview was kept from an earlier run
        _summary(pv)
    undated_ok = True
    if pv.undated:
        undated_ok = st.checkbox(f"Vẫn nhập {pv.undated} dòng không có ngày đăng với thời điểm nhập", key="imp_undated")
    if not gate.can("analyst"):
        return
    if st.button(f"Nhập {number(pv.mappable)} mục", type="primary", disabled=not pv.mappable or not undated_ok, key="imp_go",
                 icon=":material/upload:"):
        bar = st.progress(0.0, text="Đang nhập và phân tích…")
        written = [0]  # new items of the chunks committed so far: they stay if a later chunk fails

        def progress(rows: int, new: int, share: float | None) -> None:
            written[0] = new
            bar.progress(share if share is not None else min(1.0, rows / max(pv.rows, 1)),
                         text=f"Đã đọc {number(rows)} / {number(pv.rows)} dòng, {number(new)} mục mới…")

        try:
            res = actions.import_upload(data.db(), cfg, gate.current_user(), up.name, up, mapping, settings,
                                        on_progress=progress, opened=upload.opened)
        except imp.ImportFormatError as exc:
            data.refresh()
            shown.empty()  # the preview's items and counts read as what was imported
            bar.error(failed_text(str(exc), written[0]), icon=":material/error:")  # where the bar was: under the button
            return
        except Exception:  # a bug or a disk error mid-import: the maintainer gets the traceback, staff the words
            log.exception("import page: importing %r failed after %d new items", imp.stored_name(up.name), written[0])
            data.refresh()
            shown.empty()
            bar.error(unexpected_failed_text(written[0]), icon=":material/error:")
            return
        data.refresh()
        ui.set_flash(imported_text(res) + "".join(f" Lưu ý: {note}" for note in imp.notes_text(res.notes)),
                     where="import")
        st.rerun()
    # under the button, where a failure is said too: the top of the page is above the mapping and the preview, a
    # screen or more up at 1366×768 (round 26)
    st.session_state[SAID] = True
    ui.flash("import")
    _recent()


# set by a run that reached the import button and drew the import's message under it; a run that stopped before it
# (a mapping or source name refused after the import: a source of that name added on Nguồn tin meanwhile) draws the
# message where it stopped, else «Đã nhập …» was never seen (round 26)
SAID = "_imp_said"


def _summary(pv: Any) -> None:
    """The preview's counts, skip reasons and what the read lost, under its first items."""
    m = st.columns(3)
    m[0].metric("Số dòng trong tệp", number(pv.rows))  # «12.500», not «12500»
    m[1].metric("Nhập được", number(pv.mappable))
    m[2].metric("Bỏ qua", number(sum(pv.skipped.values())))
    for reason, k in pv.skipped.most_common():
        st.caption(f"Bỏ qua {k} dòng: {skip_label(reason)}")
    for note in imp.notes_text(pv.notes):
        st.warning(note)
    if pv.undated:
        st.warning(undated_warning(pv.undated))


def failed_text(error: str, written: int) -> str:
    """A failed import, said where staff look (in the import's progress bar's place, the preview above it emptied,
    round 24: its first items stayed above the error and read as imported): why, and what was written before it."""
    kept = (f"{number(written)} mục mới của các khối ghi trước lỗi được giữ lại" if written else
            "Chưa ghi mục mới nào")
    return (f"Chưa nhập xong: {md(error)} {kept}; sửa tệp rồi nhập lại, các mục đã có không bị nhập trùng.")


def unexpected_text(file_name: str) -> str:
    """An unexpected failure while the file was opened or previewed (round 25: a traceback was shown): nothing is
    written before «Nhập …», so only what to do."""
    return (f"Không mở hoặc xem trước được tệp «{md(Path(file_name).name)}» vì một lỗi ngoài dự kiến của phần mềm "
            f"(lúc {data.local(data.now()):%H:%M %d/%m/%Y}); chưa có gì được ghi. Hãy chọn lại tệp; nếu vẫn lỗi, báo "
            "người quản trị hệ thống kèm tệp và giờ này: chi tiết kỹ thuật đã được ghi vào nhật ký của máy chủ.")


def unexpected_failed_text(written: int) -> str:
    """An import stopped by an unexpected error (a bug, a disk error; not the file's fault), where failed_text says
    an ImportFormatError: each chunk commits with its import_log totals, so the chunks before the error are whole
    and kept, the one in flight rolled back, and re-importing adds no duplicate."""
    kept = (f"{number(written)} mục mới của các khối ghi trước lỗi được giữ lại nguyên vẹn" if written else
            "Chưa ghi mục mới nào")
    return (f"Chưa nhập xong: có lỗi ngoài dự kiến của phần mềm khi đọc hoặc ghi dữ liệu (lúc "
            f"{data.local(data.now()):%H:%M %d/%m/%Y}). {kept}; khối đang ghi dở bị hủy, không có mục nào ghi một "
            "nửa. Bấm nhập lại để thử tiếp, các mục đã có không bị nhập trùng; nếu vẫn lỗi, báo người quản trị hệ "
            "thống kèm tệp và giờ này: chi tiết kỹ thuật đã được ghi vào nhật ký của máy chủ.")


def imported_text(res: Any) -> str:
    """What an import did, in the words of `langnghe import`: new items, those already there, rows skipped, and the
    rows an earlier import had read garbled (ký tự �) repaired from this file (orchestration.imports.Imported.repaired),
    said only when there are some (round 24: the page said nothing of them)."""
    text = (f"Đã nhập {number(res.items_new)} mục mới từ {number(res.rows)} dòng "
            f"({number(res.items - res.items_new)} mục đã có; bỏ qua {number(sum(res.skipped.values()))}).")
    if res.repaired:
        text += (f" Đã sửa {number(res.repaired)} mục nhập trước đó bị lỗi bảng mã (ký tự �) theo nội dung của tệp "
                 "này.")
    return text


def _progress(items_box: Any, bar: Any, utc_offset_hours: float) -> Callable[[Any, float | None], None]:
    """The preview's on_progress (`data.import_preview`): the first items in `items_box` once there are some, at the
    first step, before the rest of the file is read, and the share read in `bar` (share None: no bar). A 20,000-row
    file takes seconds, an XLSX more, and the page said only «Đang đọc tệp…» until it was all read (round 23)."""
    shown: list[bool] = []

    def step(part: Any, share: float | None) -> None:
        if part.items and not shown:
            shown.append(True)
            with items_box.container():
                _first_items(part.items, utc_offset_hours)
        if share is not None:
            bar.progress(min(1.0, share), text=f"Đang kiểm tra toàn bộ tệp trước khi nhập: đã đọc {number(part.rows)} "
                                               "dòng…")
    return step


def _first_items(items: list[Any], utc_offset_hours: float) -> None:
    st.markdown(f"**Xem trước {len(items)} mục đầu**")
    ui.dataframe(pd.DataFrame({
        "Thời gian đăng (giờ Việt Nam)": [preview_time(it, utc_offset_hours) for it in items],
        "Loại": [SOURCE_TYPES.get(it.source_type, it.source_type) for it in items],
        "Nơi đăng": [it.outlet for it in items],
        "Tiêu đề": [it.title for it in items],
    }), hide_index=True, width="stretch")


def upload_limit_mb(cfg: Any) -> int:
    """The upload box's limit: imports.max_uncompressed_mb (also what `serve` gives Streamlit as
    server.maxUploadSize), so the box and the reader refuse at the same size."""
    return max(1, int(cfg.imports.max_uncompressed_mb))


def undated_warning(n: int) -> str:
    return (f"{n} dòng không có ngày đăng (hoặc ngày không đọc được): nếu nhập, các tin này mang thời điểm nhập "
            "làm thời gian đăng (ghi là ước tính) và có thể làm lệch số liệu theo ngày. Đánh dấu ô dưới đây để nhập.")


def preview_time(it: Any, utc_offset_hours: float) -> str:
    """The publication time as the file gave it (Vietnam time), or what replaces a missing one."""
    if "undated" in it.flags:
        return "không có (dùng thời điểm nhập)"
    return f"{it.published_at + timedelta(hours=utc_offset_hours):%H:%M %d/%m/%Y}"


def _mapping_form(columns: list[str], guess: dict[str, str], file_name: str) -> dict[str, str]:
    st.markdown("**Cột tương ứng với từng trường** (đã đề xuất theo tên cột; cần ít nhất tiêu đề hoặc nội dung)")
    options = [NONE, *columns]
    cols = st.columns(3)
    out: dict[str, str] = {}
    stem = Path(file_name).stem
    for k, field in enumerate(imp.FIELDS):
        pick = cols[k % 3].selectbox(FIELD_LABELS.get(field, field), options, key=f"imp_map_{stem}_{field}",
                                     index=options.index(guess[field]) if guess.get(field) in columns else 0,
                                     placeholder="Chọn cột")
        if pick != NONE:
            out[field] = pick
    return out


def _recent() -> None:
    recent: list[dict[str, Any]] = data.recent_imports()
    st.subheader("Các lần nhập gần đây")
    if not recent:
        st.caption(NO_IMPORT)
        return
    ui.dataframe(pd.DataFrame({
        "Lúc": [data.local(r["run_at"]) for r in recent],
        "Tệp": [r["file_name"] for r in recent],
        "Nguồn": [r["source"] for r in recent],
        "Số dòng": [r["rows_read"] for r in recent],
        "Mục mới": [r["items_new"] for r in recent],
        "Bỏ qua": [sum(r["skipped"].values()) for r in recent],
        "Kết quả": [_status(r) for r in recent],
    }), hide_index=True, width="stretch")


STATUS = {"done": "xong", "interrupted": "đã dừng giữa chừng", "running": "đang nhập (hoặc bị ngắt)"}


def _status(run: dict[str, Any]) -> str:
    if run.get("status") == "error":
        return f"lỗi: {run.get('error') or ''}"
    said = STATUS.get(run.get("status") or "done", str(run.get("status")))
    if run.get("status") == "interrupted" and run.get("error"):  # a killed run found by the next start (fix34): why
        return f"{said} ({run['error']})"
    return said
