"""`langnghe` — one console script; each subcommand is a module in langnghe/commands/.

A command module defines `register(subparsers)`, which adds its parser, and `run(args, cfg) -> int`, which
`add_command` makes the parser's function unless `register` set one (`set_defaults(func=…)`: a command with
actions, as `survey`). Modules are discovered, so a part adds a command without editing this file.
Every process imports every command module to build the parser, so a command module imports its heavy libraries
(and store, orchestration, collectors, reports, nlp) inside `run`: tests/langnghe/test_cli_startup.py.
"""

from __future__ import annotations

import argparse
import io
import importlib
import logging
import os
import pkgutil
import sys
from types import ModuleType

from langnghe import commands, console, state
from store.errors import DatabaseLocked, NoDatabase, StorageError  # no DuckDB: help and a refused invocation need none
from vocab import folding, secrets
from vocab.config import Config, ConfigError, load, section


# argparse's own words ("usage:", "options", "show this help message and exit", its errors), in
# Vietnamese: argparse looks `_` up in its module at call time, so this covers every subcommand's help.
ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\nXem cách dùng: %(prog)s --help\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r (cần %(type)s)",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
}


def _vi(message: str) -> str:
    return ARGPARSE_VI.get(message, message)


argparse._ = _vi  # type: ignore[attr-defined]


def _typed(convert: type, name: str):  # type: ignore[no-untyped-def]
    """`convert` under a Vietnamese name: argparse names the expected type by the function's __name__ («giá trị
    int không hợp lệ: 'abc'» until round 21)."""
    def f(text: str):  # type: ignore[no-untyped-def]
        return convert(text)
    f.__name__ = name
    return f


def _decimal(text: str) -> float:
    """A number as staff write it too: «1,5» as well as «1.5»."""
    return float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)


TYPE_NAMES = {int: _typed(int, "một số nguyên, ví dụ 50"), float: _typed(_decimal, "một số, ví dụ 1,5")}


def _subcommands(parser: argparse.ArgumentParser) -> "argparse._SubParsersAction | None":
    """The action holding `parser`'s subcommands (argparse allows one), or None for a leaf command."""
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _sub_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = _subcommands(parser)
    return dict(action.choices) if action is not None else {}


def _name_types(parser: argparse.ArgumentParser) -> None:
    """Every int and float option, in this parser and its subcommands', under its Vietnamese type name."""
    for action in parser._actions:
        if action.type in TYPE_NAMES:
            action.type = TYPE_NAMES[action.type]
    for sub in _sub_parsers(parser).values():
        _name_types(sub)


def _describe(parser: argparse.ArgumentParser) -> None:
    """A subcommand without its own description says in its --help what `langnghe --help` says of it: `langnghe
    collect --help` printed the options only, and what the command does was on the top level's list alone."""
    action = _subcommands(parser)
    if action is None:
        return
    said = {c.dest: c.help for c in action._choices_actions}
    for name, sub in action.choices.items():
        text = said.get(name)
        if not sub.description and text and text != argparse.SUPPRESS:
            sub.description = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
        elif sub.description and sub.description[:1].islower():  # `survey`'s own, its summary line (round 28)
            sub.description = sub.description[:1].upper() + sub.description[1:] \
                + ("" if sub.description.endswith((".", ":")) else ".")
        _describe(sub)


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The innermost subcommand's parser `args` ran (`langnghe report weekly`'s), so an error about its options
    shows its own usage and help, not the top level's."""
    action = _subcommands(parser)
    if action is None or not action.dest:
        return parser
    sub = action.choices.get(getattr(args, action.dest, None) or "")
    return _command_parser(sub, args) if sub is not None else parser


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """parse_args, but an option the subcommand does not have is refused by that subcommand («langnghe status:
    lỗi: tham số không nhận ra: --bogus», then its usage and `langnghe status --help`), not by the top level."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        _command_parser(parser, args).error(_vi("unrecognized arguments: %s") % " ".join(extra))
    return args


def add_command(sub: argparse._SubParsersAction, module: ModuleType) -> None:
    """A command module's `register(sub)`, then its `run(args, cfg)` as the function of each parser it added
    without one (`set_defaults(func=…)`): a module written as ARCHITECTURE.md says, `register` and `run`, was
    otherwise listed in --help and ran nothing (`langnghe mycmd` printed the top level's help, exit 2)."""
    before = set(sub.choices)
    module.register(sub)
    run = getattr(module, "run", None)
    for name in set(sub.choices) - before:
        parser = sub.choices[name]
        if callable(run) and parser.get_default("func") is None:
            parser.set_defaults(func=run)


# words a maintainer types for a command of another name (tried by hand in round 26's walk: «users reset»)
SYNONYMS = {"reset": "passwd", "password": "passwd", "delete": "disable", "remove": "disable", "start": "serve",
            "run": "serve", "backups": "backup", "migrate": "init-db", "init": "init-db"}


class Parser(argparse.ArgumentParser):
    """argparse's parser, which also names the closest choice to a typo («srve»: «có phải serve?»); subcommands'
    parsers are made of the same class. Python 3.11's argparse lists the choices only (round 26's maintainer walk)."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError as exc:
            import difflib

            choices = [str(c) for c in action.choices or ()]
            meant = SYNONYMS.get(str(value).lower())
            close = [meant] if meant in choices else difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
            if close:
                exc.message += f"; có phải «{close[0]}»?"
            raise


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="langnghe",
        description="Lắng Nghe — theo dõi báo chí và mạng xã hội, nắm bắt dư luận xã hội.",
    )
    parser.add_argument("--config", metavar="TỆP", help="tệp cấu hình ghi đè lên mặc định (hoặc $LANGNGHE_CONFIG); khi không "
                        "có, các lệnh dùng cơ sở dữ liệu của serve/demo đang chạy nếu có")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết (debug)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh")
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            add_command(sub, importlib.import_module(f"langnghe.commands.{mod.name}"))
    _name_types(parser)
    _describe(parser)
    return parser


OWN_DATABASE = ("serve", "demo", "replay")  # commands that open or build their own database


def _config(args: argparse.Namespace) -> Config:
    """--config, $LANGNGHE_CONFIG or $LANGNGHE_DB win; otherwise the config and database of a running
    serve/demo (langnghe/state.py), said on stderr; otherwise the defaults."""
    if args.config or os.environ.get("LANGNGHE_CONFIG") or os.environ.get("LANGNGHE_DB") \
            or args.command in OWN_DATABASE:
        return load(args.config)
    st = state.running()
    if st is None:
        cfg = load()
        if (why := state.hint(cfg)) is not None:
            print(why, file=sys.stderr)
        return cfg
    print(state.note(st), file=sys.stderr)
    return state.config_of(st)


def main(argv: list[str] | None = None) -> int:
    _bytes_as_given()
    parser = build_parser()
    args = parse(parser, argv)
    console.configure(args.verbose)  # the one place the console's format follows -v
    for handler in logging.getLogger().handlers:  # tokens read from secrets never reach a log line
        secrets.redact_logs(handler)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        cfg = _config(args) if not getattr(args, "no_config", False) else None
        if cfg is not None:
            secrets.configure(str(section(cfg, "secrets").get("dir", secrets.DEFAULT_DIR)))
            folding.configure_cache(cfg.limits.fold_cache_words)
        code = int(args.func(args, cfg) or 0)
        sys.stdout.flush()  # a closed pipe is said here, not by the interpreter's flush at exit
        return code
    except ConfigError as exc:
        print(f"langnghe: lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    except DatabaseLocked as exc:  # `serve` holds the file and the command has no way round it: as `collect` says it
        print(f"langnghe: {exc}", file=sys.stderr)
        return 3
    except StorageError as exc:  # disk full, corrupt or read-only database: plain words, no traceback
        print(f"langnghe: {exc}", file=sys.stderr)
        return 4
    except NoDatabase as exc:  # no file at the configured path: `steps` ended on a traceback (round 28)
        print(f"langnghe {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a command without its own stop, or a second Ctrl+C: it ended without a word (round 28)
        print(f"\nlangnghe {args.command}: đã dừng theo yêu cầu (Ctrl+C).", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _stdout_closed():
            raise
        return 141  # as a shell tool killed by SIGPIPE; `search … | head -1` ended on a traceback (round 28)


def _bytes_as_given() -> None:
    """stdout writes a name in bytes that are not UTF-8 (a path given on the command line or found on disk, which
    Python carries as surrogates) back as those bytes, as Python does under the C locale. Under a UTF-8 locale
    (vi_VN.UTF-8) its stdout is strict: `report weekly --out $'bao-cao-\\xff'` wrote its files, then ended on a
    UnicodeEncodeError traceback printing their paths (round 30's sweep, hostile33)."""
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper) and out.errors == "strict" and out.encoding.lower().replace("-", "") == "utf8":
        out.reconfigure(errors="surrogateescape")


def _stdout_closed() -> bool:
    """Whether the reader of stdout went away (`langnghe search x | head -1`): then stdout is pointed at /dev/null, so
    that the interpreter's last flush at exit does not print «Exception ignored … BrokenPipeError» either. A broken
    pipe of anything else (a socket) is not this, and is raised as it was."""
    import select

    try:
        fd = sys.stdout.fileno()
        poll = select.poll()
        poll.register(fd, select.POLLOUT)
        if not any(events & select.POLLERR for _, events in poll.poll(0)):  # a pipe without a reader: POLLERR
            return False
    except (OSError, ValueError, AttributeError):
        return False
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return True


if __name__ == "__main__":
    sys.exit(main())
