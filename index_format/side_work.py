"""Writes handed to a forked child process, so that a publish's second core writes files while
the first goes on with the merges (index_format.derived).

A publish's derived phase is one Python process: at 2.2M articles its merges and joins take
~35 CPU s and the files it writes after them (rows by value, the carry) ~9 more, on one core
while the other sits idle once the stories' process is done (bench.update_breakdown
--timeline). A forked child sees the parent's memory as it was at the fork, copy-on-write, so
it writes exactly the bytes the parent would have, from arrays the parent may go on to change
or free; the parent only waits for it before the generation is published.

`Side` runs each job in its own child; leaving the block waits for them all and raises
SideWorkFailed when one failed. When the block raises (Ctrl-C included), the children are
stopped, not waited for: the directory they write into is dropped by the caller.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any


class SideWorkFailed(Exception):
    """A forked writer exited with an error (its traceback went to stderr)."""


class Side:
    """Forked jobs of a block: `run(fn, *args)` starts fn(*args) in a child now."""

    def __init__(self) -> None:
        self._children: dict[int, str] = {}  # pid → the job's name

    def run(self, fn: Callable[..., Any], *args: Any) -> None:
        sys.stderr.flush()  # (else the child's copy of a buffered line is written twice)
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child: measured by its exit status)
            code = 1
            try:
                # Collections would touch every object, and copy every page, of the parent.
                gc.disable()
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                fn(*args)
                code = 0
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        self._children[pid] = getattr(fn, "__qualname__", repr(fn))

    def wait(self) -> None:
        """Wait for every job; SideWorkFailed when one did not exit cleanly."""
        failed = []
        while self._children:
            pid, name = self._children.popitem()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(f"{name} (exit status {os.waitstatus_to_exitcode(status)})")
        if failed:
            raise SideWorkFailed("side writes failed: " + ", ".join(failed))

    def stop(self) -> None:
        """Stop every job and reap it."""
        while self._children:
            pid, _ = self._children.popitem()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def __enter__(self) -> Side:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.wait()
        else:
            self.stop()
