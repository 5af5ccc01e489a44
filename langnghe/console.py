"""The console's words, one formatter for every command and for `serve`:

    «16:16 Sao lưu: …»            an INFO line (a command's summary, serve's `langnghe.status`)
    «16:16 CHÚ Ý: nguồn x lỗi»    a warning
    «16:16 LỖI: …» + traceback    an error (or critical)

in Vietnam time whatever the server's zone (`vocab.timefmt.vn_time_struct`). Until round 22 serve's console had
its own formatter and said «16:16 WARNING langnghe.jobs: …» where a command said «16:16 CHÚ Ý: …». The module and
English level still reach whoever needs them: `-v` keeps the technical format, and serve's log file has both.

`configure(verbose)` is the one place that picks the console's format from `-v` (langnghe.cli.main calls it once);
serve's `service.route_logs` only filters what reaches the console. Until round 23 route_logs set this formatter
again, so `langnghe -v serve` lost the technical lines the CLI had just chosen.
"""

from __future__ import annotations

import logging
import sys

from vocab.timefmt import vn_time_struct

TECHNICAL_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # `-v` and serve's log file
LEVEL_WORDS = {logging.WARNING: "CHÚ Ý", logging.ERROR: "LỖI", logging.CRITICAL: "LỖI"}


class TechnicalFormatter(logging.Formatter):
    """`-v`'s console lines and serve's log file: «2026-12-08 08:30:05,123 WARNING langnghe.jobs: …», in Vietnam
    time as the console and the dashboard. Until round 30 in the machine's zone: on a server kept in UTC the log file
    said 01:30 of a fault the console had shown at 08:30 (and a test run under another TZ wrote other times)."""

    converter = staticmethod(vn_time_struct)

    def __init__(self) -> None:
        super().__init__(TECHNICAL_FORMAT)


class ConsoleFormatter(logging.Formatter):
    """«HH:MM [CHÚ Ý: |LỖI: ]message», Vietnam time; an exception's traceback follows on its own lines."""

    converter = staticmethod(vn_time_struct)  # Vietnam time, as the dashboard, whatever the server's zone

    def format(self, record: logging.LogRecord) -> str:
        word = LEVEL_WORDS.get(record.levelno)
        text = f"{self.formatTime(record, '%H:%M')} " + (f"{word}: " if word else "") + record.getMessage()
        return text + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


def configure(verbose: bool) -> None:
    """The root logger's console handler (stderr) and its format, chosen once from `-v`: technical lines (date,
    level, module) for whoever reads a fault, the short Vietnamese ones otherwise."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(TechnicalFormatter() if verbose else ConsoleFormatter())
    if verbose:
        return
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per HTTP request drowns the summary lines
