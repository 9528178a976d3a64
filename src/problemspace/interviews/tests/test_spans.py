"""Finding the quote a highlight is made of."""

from __future__ import annotations

import pytest

from problemspace.interviews.spans import SpanError, locate, resolve, trimmed

TEXT = "Priya: How long?\nDana: It takes   a week\nto close the books. It takes a week."


def test_offsets_are_trimmed_of_white_space() -> None:
    start = TEXT.index("It takes")
    span = trimmed(TEXT, start - 1, start + 9)
    assert (span.start, span.text) == (start, "It takes")


def test_offsets_out_of_range_are_refused() -> None:
    for start, end in [(-1, 3), (5, 5), (10, 4), (0, len(TEXT) + 1)]:
        with pytest.raises(SpanError, match="outside the text"):
            trimmed(TEXT, start, end)


def test_white_space_alone_is_refused() -> None:
    with pytest.raises(SpanError, match="white space"):
        trimmed("a   b", 1, 4)


def test_a_pasted_quote_is_found_whatever_its_spacing() -> None:
    span = locate(TEXT, "It takes a week to close\nthe books.")
    assert span is not None
    assert span.text == "It takes   a week\nto close the books."


def test_the_occurrence_nearest_the_selection_wins() -> None:
    second = TEXT.rindex("It takes a week")
    span = locate(TEXT, "It takes a week", near=second)
    assert span is not None and span.start == second


def test_stale_offsets_fall_back_to_the_quote() -> None:
    start = TEXT.index("Dana")
    span = resolve(TEXT, 0, 5, "Dana: It takes")
    assert span.start == start


def test_a_quote_not_in_the_text_is_refused() -> None:
    with pytest.raises(SpanError, match="not in the text"):
        resolve(TEXT, None, None, "We love it")
    with pytest.raises(SpanError, match="paste it"):
        resolve(TEXT, None, None, "  ")
