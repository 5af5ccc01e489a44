"""Every subcommand's help is in Vietnamese, argparse's own words included (issue 15)."""

from __future__ import annotations

import argparse
import re

from langnghe.cli import build_parser

VI = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
ENGLISH = ("usage:", "options:", "positional arguments", "show this help message", "default:", "(default")


def _parsers(parser: argparse.ArgumentParser, path: str = "langnghe"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and VI.search(choice.help), f"{path} {choice.dest}: {choice.help!r}"
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_subcommand_help_is_vietnamese():
    seen = 0
    for path, parser in _parsers(build_parser()):
        seen += 1
        text = parser.format_help()
        assert not any(w in text for w in ENGLISH), f"{path}: English in\n{text}"
        assert "đối số" not in text, f"{path}: positional arguments are 'tham số' in every other command"
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and VI.search(action.help), f"{path} {action.option_strings or action.dest}: {action.help!r}"
    assert seen > 20
