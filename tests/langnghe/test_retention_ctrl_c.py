"""`langnghe retention`: Ctrl+C ends the run between two chunks of items (the stop event), not inside a transaction;
a second Ctrl+C is the usual interrupt, and the handler before the run is put back after it."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from langnghe.commands.retention import _ctrl_c_stops


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signal handlers are only set in the main thread")
def test_ctrl_c_sets_the_stop_event_then_a_second_one_interrupts():
    before = signal.getsignal(signal.SIGINT)
    with _ctrl_c_stops() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.wait(2)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            stop.wait(0.5)  # the handler runs in the main thread between two bytecodes
    assert signal.getsignal(signal.SIGINT) is before
