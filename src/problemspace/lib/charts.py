"""Charts drawn on the server as SVG (pygal), inlined in the page: no script, no network.

pygal writes a small configuration script into every chart for its interactive tooltips; it
is removed, so pages stay script-free under a strict Content-Security-Policy. pygal builds the
SVG with an XML library, so labels (segment names, account names) arrive escaped.

Drawing a chart takes pygal about 10 ms, as long as all the database work of a busy page, and
the same figures are drawn again on every view until synthesis changes them. So each SVG is
kept in the cache under a hash of everything it is drawn from.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Sequence

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
# Inline SVGs share the page; pygal's own ids are random, so none collide.

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#18212d",
    foreground_strong="#18212d",
    foreground_subtle="#dde1e7",
    opacity=".9",
    opacity_hover="1",
    colors=("#2f4fb3", "#8a4a06", "#146c3a", "#a61b1b", "#5a6473"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    tooltip_font_size=12,
    legend_font_size=12,
)


# A version of how charts are drawn: change it when the drawing changes, and no SVG drawn the
# old way is shown again.
DRAWING = 1
KEEP_SECONDS = 7 * 24 * 3600


def _kept(draw: Callable[[], SafeString], *figures: object) -> SafeString:
    key = "chart:" + hashlib.blake2b(repr((DRAWING, figures)).encode(), digest_size=16).hexdigest()
    svg = cache.get(key)
    if not isinstance(svg, str):
        svg = draw()
        cache.set(key, str(svg), KEEP_SECONDS)
    return mark_safe(svg)  # noqa: S308 - drawn by _render, cached as it was drawn


def _render(chart: pygal.graph.graph.Graph, title: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    # The tooltip layer is for pygal's script, which is gone; its inline style would break the
    # page's Content-Security-Policy. app.css hides the layer instead.
    svg = svg.replace(' style="opacity: 0"', "")
    # An accessible name for screen readers; the figures are also in a table or text nearby.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - built by pygal's XML writer, which escapes text


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _common(**extra: object) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "margin": 8,
        "explicit_size": False,
        **extra,
    }


def column_series(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    height: int = 220,
    width: int = 720,
    stacked: bool = False,
) -> SafeString:
    """Columns over time (e.g. evidence per week, first-hand and relayed stacked).

    The SVG scales to its container; `width` is its drawing width, so text is drawn at its
    nominal size where the container is about that wide.
    """
    figures = (title, list(labels), [(n, list(v)) for n, v in series], height, width, stacked)
    return _kept(lambda: _column_series(*figures), "columns", *figures)


def _column_series(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    height: int,
    width: int,
    stacked: bool,
) -> SafeString:
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(
        **_common(
            height=height,
            width=width,
            show_legend=len(series) > 1,
            legend_at_bottom=True,
            x_label_rotation=0,
            show_minor_x_labels=False,
            truncate_label=12,
            print_values=False,
        )
    )
    chart.x_labels = list(labels)
    # Label only about eight columns, whatever the period, so the axis stays readable.
    step = max(1, len(labels) // 8)
    chart.x_labels_major = list(labels)[::step]
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, title)


def horizontal_bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    height: int | None = None,
    width: int = 720,
) -> SafeString:
    """One bar per category (e.g. accounts per segment), drawn top to bottom in the order
    given (largest first, as given)."""
    figures = (title, list(labels), list(values), height, width)
    return _kept(lambda: _horizontal_bars(*figures), "bars", *figures)


def _horizontal_bars(
    title: str, labels: Sequence[str], values: Sequence[float], height: int | None, width: int
) -> SafeString:
    chart = pygal.HorizontalBar(
        **_common(
            height=height or max(120, 34 * len(labels) + 40),
            width=width,
            print_values=True,
            # The value is printed on each bar, so the value axis and its guides would only
            # crowd a narrow chart.
            show_x_labels=False,
            truncate_label=30,
        )
    )
    # pygal draws the first category at the bottom.
    chart.x_labels = list(reversed(labels))
    chart.add(title, list(reversed(values)))
    return _render(chart, title)


def scatter(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[str, float, float]]]],
    *,
    x_title: str,
    y_title: str,
    colors: Sequence[str] = (),
    height: int = 360,
    width: int = 720,
) -> SafeString:
    """Points by two measures (e.g. each problem's accounts and items), each printed with its
    short label; one colour per series (`colors`, else the house colours in order), with a
    legend when there are several."""
    figures = (
        title,
        [(n, list(p)) for n, p in series],
        x_title,
        y_title,
        tuple(colors),
        height,
        width,
    )
    return _kept(lambda: _scatter(*figures), "scatter", *figures)


def _scatter(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[str, float, float]]]],
    x_title: str,
    y_title: str,
    colors: tuple[str, ...],
    height: int,
    width: int,
) -> SafeString:
    style = copy.copy(STYLE)
    if colors:
        style.colors = colors
    # From zero, so a problem's distance from the axes reads as its size.
    top_x = max((x for _, points in series for _, x, _ in points), default=1.0) * 1.08
    top_y = max((y for _, points in series for _, _, y in points), default=1.0) * 1.08
    chart = pygal.XY(
        **_common(
            style=style,
            height=height,
            width=width,
            stroke=False,
            dots_size=5,
            print_labels=True,
            show_legend=len(series) > 1,
            legend_at_bottom=True,
            x_title=x_title,
            y_title=y_title,
            include_x_axis=True,
            range=(0, top_y),
            xrange=(0, top_x),
        )
    )
    for name, points in series:
        chart.add(name, [{"value": (x, y), "label": label} for label, x, y in points])
    return _render(chart, title)
