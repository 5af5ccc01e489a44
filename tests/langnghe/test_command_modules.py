"""A CLI command is a module in langnghe/commands/ with `register(sub)` and `run(args, cfg) -> int`
(docs/ARCHITECTURE.md *Conventions*): that is all it takes for `langnghe NAME` to run it (round 22)."""

from __future__ import annotations

import argparse
import types

from langnghe import cli


def _module(register) -> types.ModuleType:
    mod = types.ModuleType("langnghe.commands.toy")
    mod.register = register
    mod.run = lambda args, cfg: 7
    return mod


def _parser_with(mod: types.ModuleType) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="langnghe")
    cli.add_command(parser.add_subparsers(dest="command"), mod)
    return parser


def test_a_module_with_register_and_run_is_run_without_set_defaults():
    """Written as the docs say, without `set_defaults(func=run)`, the command was listed and ran nothing."""
    parser = _parser_with(_module(lambda sub: sub.add_parser("toy", help="thử")))
    args = parser.parse_args(["toy"])
    assert args.func(args, None) == 7


def test_a_function_the_module_set_itself_is_kept():
    def register(sub):
        sub.add_parser("toy", help="thử").set_defaults(func=lambda args, cfg: 3)

    args = _parser_with(_module(register)).parse_args(["toy"])
    assert args.func(args, None) == 3


def test_every_command_runs_something():
    """Each command of the real parser (or each action of one with actions: survey, users, report) has a function."""
    def leaves(parser: argparse.ArgumentParser, path: str, func=None):
        func = parser.get_default("func") or func  # an action's own function, or its command's (users, report)
        subs = cli._sub_parsers(parser)
        if not subs:
            yield path, func
        for name, sub in subs.items():
            yield from leaves(sub, f"{path} {name}", func)

    idle = [path for path, func in leaves(cli.build_parser(), "langnghe") if not callable(func)]
    assert not idle, f"commands that would run nothing: {idle}"
