import numpy as np
import pytest

from esmwidget._wire.buffers import put_buffers, remove_buffers


def test_remove_buffers_walks_nested_dicts_and_lists():
    state = {
        "blob": {
            "shape": [2],
            "data": memoryview(b"ab"),
            "parts": [b"x", 3, {"x": bytearray(b"y")}],
        }
    }
    stripped, paths, buffers = remove_buffers(state)
    assert stripped == {"blob": {"shape": [2], "parts": [None, 3, {}]}}
    assert paths == [["blob", "data"], ["blob", "parts", 0], ["blob", "parts", 2, "x"]]
    assert [bytes(b) for b in buffers] == [b"ab", b"x", b"y"]
    # the input is left untouched
    assert state["blob"]["parts"][0] == b"x"


def test_remove_buffers_leaves_state_without_binary_as_is():
    state = {"a": 1, "b": [1, "x"], "c": {"d": None}}
    stripped, paths, buffers = remove_buffers(state)
    assert stripped is state
    assert paths == []
    assert buffers == []


def test_numpy_arrays_travel_as_their_bytes():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    stripped, paths, buffers = remove_buffers({"x": {"data": array, "shape": [2, 3]}})
    assert stripped == {"x": {"shape": [2, 3]}}
    assert paths == [["x", "data"]]
    assert bytes(buffers[0]) == array.tobytes()


def test_non_contiguous_arrays_are_copied():
    array = np.arange(10, dtype=np.int16)[::2]
    _, _, buffers = remove_buffers({"x": array})
    assert bytes(buffers[0]) == array.tobytes()


def test_put_buffers_restores_as_bytes():
    state = {"blob": {"shape": [2], "parts": [None, 3, {}]}}
    put_buffers(
        state,
        [["blob", "data"], ["blob", "parts", 0], ["blob", "parts", 2, "x"]],
        [memoryview(b"ab"), b"x", b"y"],
    )
    assert state == {"blob": {"shape": [2], "data": b"ab", "parts": [b"x", 3, {"x": b"y"}]}}


@pytest.mark.parametrize(
    ("paths", "buffers", "match"),
    [
        ([["a"]], [], "1 entries but the message carries 0 buffers"),
        ([[]], [b"x"], r"buffer path \[\] is not a path; expected a non-empty list"),
        (True, [b"x"], "buffer_paths is True; expected a list of paths"),
        ([[True]], [b"x"], r"step 0 \(True\) is not a key or index of dict"),
        ([[5]], [b"x"], r"step 0 \(5\) is not a key or index of dict"),
        (
            [["missing", "x"]],
            [b"x"],
            r"buffer path \['missing', 'x'\] does not lead into the state",
        ),
    ],
)
def test_put_buffers_rejects_bad_paths(paths, buffers, match):
    state = {}
    with pytest.raises(ValueError, match=match):
        put_buffers(state, paths, buffers)
    assert state == {}  # nothing written


def test_put_buffers_checks_every_path_before_writing():
    state = {"a": None, "list": [None, None]}
    with pytest.raises(ValueError, match=r"step 1 \(2\) is not a key or index of list"):
        put_buffers(state, [["a"], ["list", 2]], [b"1", b"2"])
    assert state == {"a": None, "list": [None, None]}
    put_buffers(state, [["a"], ["list", 1]], [b"1", b"2"])
    assert state == {"a": b"1", "list": [None, b"2"]}
