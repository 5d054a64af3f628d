"""Signals as a terminal session has them, for tests that press Ctrl-C on a child process."""

from __future__ import annotations

import signal


def as_at_a_terminal() -> None:
    """SIGINT as a terminal session has it (a `preexec_fn`): a test run started in the background (`make test &`,
    a CI runner's shell without job control) has SIGINT ignored, the child inherits that, and Python then never
    raises KeyboardInterrupt: Ctrl-C, as the test sends it, is not what the child receives."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
