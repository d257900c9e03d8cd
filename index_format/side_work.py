"""Work a publish hands to forked child processes, so that its second core works while the
first goes on (index_format.derived, index_format.facet_arrays).

A publish's derived phase is one Python process: at 2.2M articles its merges and joins take
~35 CPU s and the files it writes ~15 more, on one core while the other sits idle once the
stories' process is done (bench.update_breakdown --timeline). A forked child sees the
parent's memory as it was at the fork, copy-on-write, so it writes exactly the bytes the
parent would have, from arrays the parent may go on to change or free (the carry, written
while the merges run; the rows by value, beside the facet files), or decides what the parent
would have (the organisation's and the place's merges, beside the person's); the parent only
waits for it before the generation is published.

`Side` runs each job in its own child: `run` for files it writes, `call` for a value it
sends back (pickled through a pipe). Leaving the block waits for them all and raises
SideWorkFailed when one failed. When the block raises (Ctrl-C included), the children are
stopped, not waited for: the directory they write into is dropped by the caller.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

_T = TypeVar("_T")


class SideWorkFailed(Exception):
    """A forked writer exited with an error (its traceback went to stderr)."""


class Side:
    """Forked jobs of a block: `run(fn, *args)` starts fn(*args) in a child now."""

    def __init__(self) -> None:
        self._children: dict[int, str] = {}  # pid → the job's name
        self._pipes: dict[int, int] = {}  # pid → the read end of a `call`'s pipe

    def run(self, fn: Callable[..., Any], *args: Any) -> None:
        """fn(*args) in a child, now; what it returns is dropped."""
        self._fork(fn, args, None)

    def call(self, fn: Callable[..., _T], *args: Any) -> Pending[_T]:
        """fn(*args) in a child, now; its value (picklable) from the Pending's `result`."""
        read, write = os.pipe()
        try:
            pid = self._fork(fn, args, write)
        finally:
            os.close(write)
        self._pipes[pid] = read
        return Pending(self, pid, read)

    def _fork(self, fn: Callable[..., Any], args: tuple[Any, ...], out: int | None) -> int:
        sys.stderr.flush()  # (else the child's copy of a buffered line is written twice)
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child: measured by its exit status)
            code = 1
            try:
                # Collections would touch every object, and copy every page, of the parent.
                gc.disable()
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                value = fn(*args)
                if out is not None:
                    with os.fdopen(out, "wb") as pipe:
                        pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        self._children[pid] = getattr(fn, "__qualname__", repr(fn))
        return pid

    def _reap(self, pid: int) -> None:
        """Wait for child `pid`; SideWorkFailed when it did not exit cleanly."""
        name = self._children.pop(pid)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            code = os.waitstatus_to_exitcode(status)
            raise SideWorkFailed(f"side work failed: {name} (exit status {code})")

    def wait(self) -> None:
        """Wait for every job; SideWorkFailed when one did not exit cleanly."""
        failed = []
        for pid in list(self._children):
            try:
                self._reap(pid)
            except SideWorkFailed as e:
                failed.append(str(e))
        if failed:
            raise SideWorkFailed("; ".join(failed))

    def stop(self) -> None:
        """Stop every job and reap it."""
        while self._children:
            pid, _ = self._children.popitem()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        while self._pipes:
            os.close(self._pipes.popitem()[1])

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


class Pending(Generic[_T]):
    """The value a child of `Side.call` sends back."""

    def __init__(self, side: Side, pid: int, pipe: int) -> None:
        self._side, self._pid, self._pipe = side, pid, pipe

    def result(self) -> _T:
        """The child's value, once it is done (read before it is reaped: a value larger than
        the pipe's buffer waits for the reader); SideWorkFailed when it failed."""
        self._side._pipes.pop(self._pid, None)
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        self._side._reap(self._pid)
        value: _T = pickle.loads(data)
        return value
