#!/usr/bin/env bash
# Re-run the tests with the clock moved forward (libfaketime), to find tests and code that compare a
# fixed date with the wall clock. Not part of `make test`: an audit to run by hand after date-heavy work.
#
#   bash scripts/clock_audit.sh                      # every package but tests/browser, three clocks
#   bash scripts/clock_audit.sh tests/orchestration  # only these paths
#   CLOCKS="+30d" bash scripts/clock_audit.sh tests/dashboard
#   CLOCKS="@2027-01-03 17:00:30" bash scripts/clock_audit.sh tests/dashboard   # Monday 00:00 in Vietnam
#
# Convention it guards: never compare a fixed date with the wall clock; inject `now`.
# Browser tests (tests/browser) are left out by default: headless Chromium's own clock is not faked the
# same way; read their code instead (their dates must be relative to the real today).
# Known artefact: under libfaketime a timed wait in a thread (threading.Event.wait(t)) may not return
# until the event is set, so a test polling a background thread against a deadline can fail (e.g.
# tests/langnghe/test_service.py's scheduler test); re-run such a failure without faketime before
# calling it a finding. Each path gets CLOCK_AUDIT_TIMEOUT seconds (default 1800).
set -u
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
# the static half first (also a test, tests/test_clock_scan.py): a function taking `now` that reads the wall clock
"$PY" scripts/clock_scan.py || scan_failed=1
if ! command -v faketime >/dev/null 2>&1; then
    echo "clock_audit: faketime chưa được cài (Debian: apt-get install -y faketime); bỏ qua." >&2
    exit "${scan_failed:-0}"
fi
export PYTHONPATH="$PWD"
# Clocks: a month on (dates "near today" in tests), a year on, and a fixed day years away.
if [ -n "${CLOCKS:-}" ]; then
    IFS=';' read -r -a clocks <<<"$CLOCKS"
else
    clocks=("+30d" "+400d" "@2031-03-01 10:00:00")
fi
if [ "$#" -gt 0 ]; then
    paths=("$@")
else
    paths=()
    for d in tests/*/; do
        case "$d" in tests/browser/|tests/fixtures/) continue ;; esac
        paths+=("${d%/}")
    done
    paths+=(tests/test_layers.py tests/test_clock_scan.py)
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/clock_audit.XXXXXX")"
status="${scan_failed:-0}"
# "@DATE" becomes an offset from now, so every process the tests start (the CLI, `serve`) sees the same
# clock; libfaketime's "@" would restart each new process's clock at DATE, earlier than its parent's.
offset() {
    case "$1" in
        @*) echo "+$(( $(date -u -d "${1#@}" +%s) - $(date -u +%s) ))s" ;;
        *) echo "$1" ;;
    esac
}
for clock in "${clocks[@]}"; do
    spec="$(offset "$clock")"
    for p in "${paths[@]}"; do
        log="$out/$(echo "$clock $p" | tr -c 'A-Za-z0-9' '_').log"
        timeout "${CLOCK_AUDIT_TIMEOUT:-1800}" faketime -f "$spec" nice -n 5 "$PY" -m pytest -q -p no:cacheprovider -m "not browser" "$p" >"$log" 2>&1
        rc=$?
        # 5 = nothing collected (e.g. only browser tests in the path)
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then
            status=1
            echo "== clock $clock, $p: rc=$rc (log $log)"
            grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/   /'
        else
            echo "ok clock $clock, $p"
        fi
    done
done
echo "logs in $out"
exit "$status"
