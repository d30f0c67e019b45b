"""Python-side sets faster than Jupyter Server lets through are merged, and the last value goes."""

import threading
import time

import pytest
import traitlets

import esmwidget
from esmwidget._sync import pace as _pace


class Bar(esmwidget.AnyWidget):
    _esm = "export default { render() {} }"
    value = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, object]] = []

    def __call__(self) -> float:
        return self.now

    def timer(self, delay, callback) -> None:
        self.timers.append((self.now + delay, callback))

    def run_timers(self) -> None:
        while self.timers:
            at, callback = self.timers.pop(0)
            self.now = max(self.now, at)
            callback()


@pytest.fixture
def paced(comms, monkeypatch):
    """The widgets' pacer, on, with a clock the test moves: a burst of 10, then 100 a second."""
    clock = Clock()
    pacer = _pace.Pacer(rate=100, burst=10, clock=clock, timer=clock.timer)
    monkeypatch.setattr(_pace, "pacer", pacer)
    monkeypatch.setattr("esmwidget._sync.sync.pacer", pacer)  # the one place that decides to send
    monkeypatch.setattr(
        "esmwidget._sync.comm.paced", lambda comm: True
    )  # as in an ipykernel kernel
    return clock


def values(comm):
    return [m["state"]["value"] for m in comm.messages("update") if "value" in m["state"]]


def test_a_burst_goes_at_once_then_the_rest_is_merged_and_the_last_value_sent(comms, paced):
    w = Bar()
    for i in range(1, 1001):
        w.value = i
    assert values(comms[0]) == list(range(1, 11))  # the burst, as set
    paced.run_timers()
    assert values(comms[0])[-1] == 1000  # the last value always goes
    assert len(values(comms[0])) == 11  # everything in between merged into one update


def test_updates_resume_at_the_pace(comms, paced):
    w = Bar()
    for i in range(1, 11):
        w.value = i
    sent = len(values(comms[0]))
    for i in range(11, 16):
        paced.now += 0.01  # one token a step
        w.value = i
    assert values(comms[0])[sent:] == [11, 12, 13, 14, 15]


def test_nothing_overtakes_a_pending_update(comms, paced):
    w = Bar()
    for i in range(1, 21):
        w.value = i
    w.send({"done": True})
    sent = comms[0].messages()
    assert sent[-2] == {"method": "update", "state": {"value": 20}, "buffer_paths": []}
    assert sent[-1] == {"method": "custom", "content": {"done": True}}
    w.label = "x"  # tokens are spent: pending again
    w.close()
    assert comms[0].messages()[-1] == {
        "method": "update",
        "state": {"label": "x"},
        "buffer_paths": [],
    }


def test_one_update_per_widget_with_every_key_it_changed(comms, paced):
    a, b = Bar(), Bar()
    for i in range(1, 11):
        a.value = i
    a.value, a.label, b.value = 99, "a", 7
    paced.run_timers()
    assert comms[0].messages()[-1] == {
        "method": "update",
        "state": {"label": "a", "value": 99},
        "buffer_paths": [],
    }
    assert comms[1].messages()[-1] == {
        "method": "update",
        "state": {"value": 7},
        "buffer_paths": [],
    }


def test_a_closed_widget_sends_nothing_later(comms, paced):
    w = Bar()
    for i in range(30):
        w.value = i
    comms[0].handle_close({"content": {"comm_id": comms[0].comm_id, "data": {}}})  # the page closed
    sent = len(comms[0].messages())
    paced.run_timers()
    assert len(comms[0].messages()) == sent


def test_the_real_timer_thread_sends_the_last_value(comms, monkeypatch):
    pacer = _pace.Pacer(rate=1000, burst=5)
    monkeypatch.setattr("esmwidget._sync.sync.pacer", pacer)
    monkeypatch.setattr("esmwidget._sync.comm.paced", lambda comm: True)
    w = Bar()
    for i in range(1, 201):
        w.value = i
    deadline = time.monotonic() + 10
    while values(comms[0])[-1] != 200:
        assert time.monotonic() < deadline, values(comms[0])[-5:]
        time.sleep(0.01)
    assert len(values(comms[0])) < 200
    assert not [t for t in threading.enumerate() if t.name == "esmwidget-pace" and t.is_alive()][1:]


def test_only_an_ipykernel_kernels_comms_are_paced(comms):
    from esmwidget._sync.comm import paced  # noqa: PLC0415

    w = Bar()
    assert not paced(comms[0])  # a fake comm, in a test process with no kernel
    assert w._esmwidget_link.channel.paced is False


def test_fake_comms_see_every_set(comms):
    w = Bar()
    for i in range(1, 1001):
        w.value = i
    assert values(comms[0]) == list(range(1, 1001))


def test_a_set_made_while_pending_updates_are_sent_waits_for_them(comms, paced):
    # The pacer has read a pending value and is about to send it when Python sets a newer one,
    # with tokens to spare: the newer one must not go first, or the page ends on the older.
    w = Bar()
    for i in range(1, 21):
        w.value = i
    channel = w._esmwidget_link.channel
    send_state = channel.send_state
    interleaved = []

    def read_then_interleave(method, state):
        if not interleaved:
            interleaved.append(state)
            paced.now += 10  # plenty of tokens
            w.value = 999
        send_state(method, state)

    channel.send_state = read_then_interleave
    paced.run_timers()
    assert interleaved == [{"value": 20}]
    assert values(comms[0])[-2:] == [20, 999]
    assert w.value == 999
