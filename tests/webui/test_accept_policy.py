"""webui.worker.AcceptPolicy: a busy worker leaves a new connection to the idle ones for a while,
then takes it if it still waits (the serving test checks it under a real gunicorn)."""

from __future__ import annotations

from webui.worker import AcceptPolicy


def test_an_idle_worker_takes_a_connection_at_once() -> None:
    policy = AcceptPolicy(hold=0.25)
    assert policy.listens()
    assert policy.takes(now=10.0)
    assert policy.hold_left(now=10.0) is None


def test_a_busy_worker_steps_back_until_the_connection_has_waited_the_hold() -> None:
    policy = AcceptPolicy(hold=0.25)
    policy.started()
    assert policy.listens()  # it watches for connections, to notice one waiting
    assert not policy.takes(now=10.0)
    policy.step_back(now=10.0)
    assert not policy.listens()  # and stops watching while it leaves it to the others
    policy.step_back(now=10.1)  # seen again: the wait still counts from the first sight
    left = policy.hold_left(now=10.1)
    assert left is not None and abs(left - 0.15) < 1e-9
    assert not policy.takes(now=10.2)
    assert policy.hold_left(now=10.3) == 0.0
    assert policy.takes(now=10.3)
    policy.took()
    assert policy.listens()
    assert not policy.takes(now=10.3)  # the next connection waits its own hold


def test_a_worker_that_becomes_idle_takes_the_waiting_connection() -> None:
    policy = AcceptPolicy(hold=0.25)
    policy.started()
    policy.started()
    policy.step_back(now=5.0)
    policy.finished()
    assert not policy.listens()  # one request still in flight
    policy.finished()
    assert policy.listens()
    assert policy.takes(now=5.01)
    assert policy.hold_left(now=5.01) is None
