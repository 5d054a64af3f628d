"""Driving the `newsdedup sql` shell of a test: its output read on a thread, up to a table's row count."""

from __future__ import annotations

import subprocess
import threading


def read_until_rows(shell: subprocess.Popen[str], lines: list[str], timeout: float = 60.0) -> None:
    """Append the shell's output lines to `lines` until one shows a table's row count ("(1 row)"), or
    `timeout` seconds pass: a shell that hangs fails the test's assertions, not the whole run."""

    def read() -> None:
        for line in shell.stdout or ():
            lines.append(line)
            if "(1 row)" in line:
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=timeout)
