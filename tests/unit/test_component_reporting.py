"""Reporting a component's mistakes once: errors marked with report_once() are shown once per
key, and those found during one render are shown at its end with how often they happened."""

import pytest

from framework.errors import (
    begin_batch,
    end_batch,
    report_error,
    report_once,
    set_error_reporter,
)


@pytest.fixture
def shown():
    collected = []
    previous = set_error_reporter(collected.append)
    yield collected
    set_error_reporter(previous)


def marked(message, key):
    error = ValueError(message)
    report_once(error, key)
    return error


def test_unmarked_errors_are_all_shown(shown):
    report_error(ValueError("a"))
    report_error(ValueError("a"))
    assert [str(e) for e in shown] == ["a", "a"]


def test_a_marked_error_is_shown_once_per_key(shown):
    for _ in range(3):
        report_error(marked("typo", "key-1"))
    report_error(marked("other", "key-2"))
    assert [str(e) for e in shown] == ["typo", "other"]


def test_a_render_shows_each_key_at_its_end_with_a_count(shown):
    begin_batch()
    begin_batch()  # a child's render inside its parent's
    for _ in range(200):
        report_error(marked("row mistake", "row"))
    end_batch()
    assert shown == [], "nothing until the outermost render ends"
    report_error(marked("parent mistake", "parent"))
    end_batch()
    assert [str(e) for e in shown] == ["row mistake", "parent mistake"]
    assert shown[0].__notes__ == [
        "(shown once: the same mistake happened 200 times in this render)"
    ]
    assert not hasattr(shown[1], "__notes__")


def test_the_first_mark_stays():
    error = marked("x", "inner")
    report_once(error, "outer")
    assert error._framework_report_key == "inner"


def test_a_new_reporter_starts_afresh(shown):
    report_error(marked("typo", "key"))
    again = []
    set_error_reporter(again.append)
    report_error(marked("typo", "key"))
    assert len(shown) == 1 and len(again) == 1
