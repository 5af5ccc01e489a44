"""`langnghe users`: manage dashboard accounts from the console.

    langnghe users add NAME --role admin          # asks for the password twice (not echoed)
    echo "$PW" | langnghe users add NAME --role analyst --password-stdin
    langnghe users list
    langnghe users passwd NAME [--password-stdin]
    langnghe users disable NAME / enable NAME
    langnghe users unlock NAME                    # lift a login lockout (too many wrong passwords)

Writes go to storage.db_path, so stop `langnghe serve` first, or manage users in the dashboard's
Quản trị page. Passwords are bcrypt-hashed and never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from langnghe.commands._storing import open_for_writing
from vocab.config import Config
from vocab.labels import ROLES
from vocab.timefmt import to_local


VERB_HELP = {"disable": "khóa tài khoản (không đăng nhập được nữa)", "enable": "mở lại tài khoản đã khóa"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="quản lý tài khoản bảng điều khiển (quản trị viên đầu tiên, mật khẩu, vai trò)",
                       description="Quản lý tài khoản bảng điều khiển. Mã thoát: 0 xong; 1 tên, mật khẩu hoặc vai trò "
                                   "không nhận được; 2 cách dùng sai; 3 serve đang giữ cơ sở dữ liệu (dừng serve, hoặc "
                                   "dùng trang Quản trị).")
    usub = p.add_subparsers(dest="users_cmd", metavar="VIỆC")
    a = usub.add_parser("add", help="tạo tài khoản")
    a.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập: chữ thường không dấu, chữ số, . _ -")
    a.add_argument("--role", choices=ROLES, default="viewer",
                   help="vai trò: ctv (cộng tác viên: chỉ mở trang Báo cáo CTV), viewer (xem), analyst (chuyên viên), "
                        "admin (quản trị); mặc định viewer")
    a.add_argument("--display-name", metavar="TÊN", help="tên hiển thị trên bảng điều khiển và trong nhật ký thao tác")
    a.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ đầu vào chuẩn")
    usub.add_parser("list", help="liệt kê tài khoản")
    pw = usub.add_parser("passwd", help="đặt mật khẩu mới (đăng xuất người dùng ở mọi nơi)")
    pw.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập")
    pw.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ đầu vào chuẩn")
    for verb in ("disable", "enable"):
        d = usub.add_parser(verb, help=VERB_HELP[verb])
        d.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập")
    u = usub.add_parser("unlock", help="mở khóa đăng nhập: xóa các lần tạm khóa do nhập sai mật khẩu",
                        description="Mở khóa đăng nhập cho một tài khoản bị tạm khóa vì nhập sai mật khẩu nhiều "
                                    "lần (từ mọi địa chỉ), xóa đếm số lần sai và ghi vào nhật ký thao tác.")
    u.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập cần mở khóa")
    p.set_defaults(func=run)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
        if not pw:
            raise SystemExit("langnghe users: không có mật khẩu ở đầu vào chuẩn.")
        return pw
    if not sys.stdin.isatty():
        raise SystemExit("langnghe users: không có cửa sổ lệnh để hỏi mật khẩu; hãy dùng --password-stdin.")
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise SystemExit("langnghe users: hai lần nhập mật khẩu không khớp.")
    return first


def run(args: argparse.Namespace, cfg: Config) -> int:
    from orchestration.accounts import ROLE_LABELS, AuthError, service

    if not getattr(args, "users_cmd", None):
        print("cách dùng: langnghe users {add,list,passwd,disable,enable,unlock} … (xem langnghe users --help)",
              file=sys.stderr)
        return 2
    db = open_for_writing(cfg, "users", "\nDừng `langnghe serve` rồi chạy lại lệnh này, hoặc quản lý tài khoản ở "
                                        "trang Quản trị của bảng điều khiển.",
                          create=args.users_cmd == "add")
    if db is None:
        return 3  # as every writer held by serve (it was 1, the code of a refused name or password)
    try:
        auth = service(cfg, db)
        if args.users_cmd == "list":
            rows = auth.users()
            if not rows:
                print("(chưa có tài khoản; tạo quản trị viên đầu tiên: langnghe users add TÊN --role admin)")
            else:
                print(f"{'TÊN ĐĂNG NHẬP':24} {'VAI TRÒ':8} {'TÊN HIỂN THỊ':28} ĐĂNG NHẬP GẦN NHẤT (giờ Việt Nam)")
            locked = {p["username"] for p in auth.lockouts()}
            for u in rows:
                state = ("" if u["active"] else "  [đã khóa]") + ("  [tạm khóa đăng nhập]" if u["username"] in locked else "")
                # in Vietnam time, as `status` and the dashboard say times (it was UTC)
                last = f"{to_local(u['last_login_at']):%d/%m/%Y %H:%M}" if u["last_login_at"] else "chưa đăng nhập"
                print(f"{u['username']:24} {u['role']:8} {u['display_name']:28} {last}{state}")
            return 0
        if args.users_cmd == "add":
            user = auth.create_user(args.name, _read_password(args), args.role, display_name=args.display_name,
                                    by="(cli)")
            print(f"Đã tạo tài khoản {user.username} (vai trò {ROLE_LABELS.get(user.role, user.role).lower()}, "
                  f"{user.role}).")
            return 0
        if args.users_cmd == "passwd":
            auth.set_password(args.name, _read_password(args), by="(cli)")
            print(f"Đã đổi mật khẩu của {args.name}; các phiên đăng nhập cũ đã bị đăng xuất.")
            return 0
        if args.users_cmd == "unlock":
            n = auth.unlock(args.name, by="(cli)")
            print(f"{args.name}: đã mở khóa đăng nhập ({n} địa chỉ đang bị tạm khóa)." if n else
                  f"{args.name}: không bị tạm khóa; đã xóa đếm số lần nhập sai.")
            return 0
        if args.users_cmd in ("disable", "enable"):
            auth.update(args.name, active=args.users_cmd == "enable", by="(cli)")
            print(f"{args.name}: {'đã mở khóa' if args.users_cmd == 'enable' else 'đã khóa'}.")
            return 0
    except AuthError as exc:
        print(f"langnghe users: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 2
