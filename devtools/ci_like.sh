#!/usr/bin/env bash
# The suite (or the tests named) as the project's CI runs it, under the odd conditions a machine other than ours may
# have, so that a test whose result depends on the machine fails here first (docs/ARCHITECTURE.md «Tests that fail
# only for real reasons»). Two submissions in a row passed `make test` here and failed CI (round 29: a leaked
# thread, then a test that assumed hypothesis draws at random while CI's $CI loads its derandomized «ci» profile).
#
#   devtools/ci_like.sh                                   # the whole suite, ~15–25 min on 2 cores
#   devtools/ci_like.sh tests/reports -x                  # pytest's arguments, as given
#   CI_LIKE_TZ=America/Los_Angeles devtools/ci_like.sh tests/langnghe
#   CI_LIKE_JOBS=1 CI_LIKE_KEEP=1 devtools/ci_like.sh …  # one worker; keep the clone to look at
#
# What differs from a run in this checkout:
#   - a clean clone of HEAD (uncommitted changes are NOT in it: commit first) at a path with a space and Vietnamese
#     letters, «…/thử nghiệm/main», using this checkout's .venv through a symlink (not `make test`: with the
#     symlink, make would reinstall the package into this checkout's venv from the clone); PYTHONPATH names the
#     clone, as CI's own editable install does (the linked venv's points at the main checkout);
#   - an environment emptied (env -i) but for PATH: $CI set (hypothesis's derandomized «ci» profile), TZ far from
#     UTC and from Vietnam (Pacific/Kiritimati, UTC+14, unless $CI_LIKE_TZ), HOME an empty folder (no ~/.cache, no
#     ~/.config), no LANG/LC_ALL (the C locale), COLUMNS=40, no TERM, no DISPLAY, no tty (stdin /dev/null), umask 077;
#   - pytest's temp folders (PYTEST_DEBUG_TEMPROOT, as `make test` sets it to /dev/shm) and $TMPDIR on a tmpfs
#     mounted noexec, as Docker mounts /dev/shm (root only; elsewhere /dev/shm, or the system's temp folder);
#   - `pytest -q -n auto -o tmp_path_retention_policy=failed`, the command of `make test`, under `timeout 2400`.
# The exit code is pytest's (124 on the timeout). The clone and the mount are removed at the end.
set -euo pipefail

src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
venv="$src/.venv"
[[ -d $venv ]] || venv="$(cd "$src" && cd "$(git rev-parse --git-common-dir)/.." && pwd)/.venv"  # a worktree: the main checkout's
[[ -x $venv/bin/python ]] || { echo "ci_like: cần $venv (chạy make venv trước)" >&2; exit 2; }
base=$(mktemp -d /tmp/ci-like.XXXXXX)
clone="$base/thử nghiệm/main"
mnt="$base/temp"
mounted=
cleanup() {
    cd /
    [[ -n $mounted ]] && umount -l "$mnt" 2>/dev/null || true
    if [[ -n ${CI_LIKE_KEEP:-} ]]; then echo "ci_like: giữ lại $base" >&2; else rm -rf "$base"; fi
}
trap cleanup EXIT

git clone -q "$src" "$clone"
git -C "$clone" checkout -q "$(git -C "$src" rev-parse HEAD)"
ln -s "$venv" "$clone/.venv"
mkdir -p "$mnt" "$base/home"
if [[ $(id -u) == 0 ]] && mount -t tmpfs -o size=6g,nosuid,nodev,noexec tmpfs "$mnt" 2>/dev/null; then
    mounted=1
elif [[ -d /dev/shm && -w /dev/shm ]]; then
    mnt=$(mktemp -d /dev/shm/ci-like.XXXXXX)
fi
echo "ci_like: $(git -C "$clone" log -1 --format='%h %s' | cut -c1-100)" >&2
echo "ci_like: thư mục $clone; tạm $mnt${mounted:+ (tmpfs noexec)}; TZ=${CI_LIKE_TZ:-Pacific/Kiritimati}" >&2

cd "$clone"
umask 077
set +e
env -i PATH="$PATH" CI=true TZ="${CI_LIKE_TZ:-Pacific/Kiritimati}" HOME="$base/home" COLUMNS=40 \
    PYTHONPATH="$clone" PYTHONDONTWRITEBYTECODE= PYTEST_DEBUG_TEMPROOT="$mnt" TMPDIR="$mnt" \
    timeout 2400 .venv/bin/python -m pytest -q -n "${CI_LIKE_JOBS:-auto}" -o tmp_path_retention_policy=failed "$@" \
    </dev/null
rc=$?
set -e
[[ $mnt == /dev/shm/ci-like.* ]] && rm -rf "$mnt"
exit $rc
