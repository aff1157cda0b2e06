"""The PNG chart: an SVG drawn here, rendered by the same Chromium (no plotting dependency)."""

from __future__ import annotations

import html
from pathlib import Path

from playwright.sync_api import Browser

from benchmarks.jsfb.report import GEOMEAN_TARGET, OP_TARGET, Row, geometric_mean

WIDTH, BAR_HEIGHT, LEFT, TOP = 900, 28, 300, 50


def svg(table: list[Row], title: str) -> str:
    ratios = [r.ratio for r in table]
    scale_max = max([*ratios, OP_TARGET, 1.0]) * 1.1
    plot = WIDTH - LEFT - 40

    def x(value: float) -> float:
        return LEFT + plot * value / scale_max

    height = TOP + BAR_HEIGHT * (len(table) + 1) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        'font-family="sans-serif" font-size="13">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    items = [(f"{r.operation.split('_')[0]} {r.label}", r.ratio, OP_TARGET) for r in table]
    items.append(("geometric mean", geometric_mean(ratios), GEOMEAN_TARGET))
    for index, (label, ratio, target) in enumerate(items):
        y = TOP + index * BAR_HEIGHT
        colour = "#2e7d32" if ratio <= target else "#c62828"
        parts.append(f'<text x="10" y="{y + 18}">{html.escape(label)}</text>')
        parts.append(
            f'<rect x="{LEFT}" y="{y + 4}" width="{x(ratio) - LEFT:.1f}" '
            f'height="{BAR_HEIGHT - 8}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{x(ratio) + 4:.1f}" y="{y + 18}">{ratio:.2f}x</text>')
    bottom = TOP + BAR_HEIGHT * len(items)
    for value, dash in ((1.0, ""), (OP_TARGET, ' stroke-dasharray="4 3"')):
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{TOP}" y2="{bottom}" '
            f'stroke="#555"{dash}/>'
        )
        parts.append(f'<text x="{x(value) - 10:.1f}" y="{bottom + 16}">{value:.1f}x</text>')
    parts.append(
        f'<text x="{LEFT}" y="{bottom + 34}" fill="#555">time relative to vanilla JS '
        "(median click to paint; red: over the 2.0x target, 1.5x for the mean)</text></svg>"
    )
    return "\n".join(parts)


def write_png(browser: Browser, table: list[Row], title: str, path: Path) -> None:
    drawing = svg(table, title)
    page = browser.new_page(viewport={"width": WIDTH, "height": 100})
    try:
        page.set_content(f'<body style="margin:0">{drawing}</body>')
        page.locator("svg").screenshot(path=str(path))
    finally:
        page.close()


def replot(result_file: Path) -> Path:
    """Draw the PNG again from a saved jsfb.json (next to it)."""
    import json

    from benchmarks.jsfb.browser import chromium

    result = json.loads(result_file.read_text())
    fields = Row.__dataclass_fields__
    table = [Row(**{k: v for k, v in row.items() if k in fields}) for row in result["operations"]]
    target = result_file.with_suffix(".png")
    with chromium() as browser:
        title = f"framework vs vanilla JS (jsfb, {result['machine']['date']})"
        write_png(browser, table, title, target)
    return target


if __name__ == "__main__":
    import sys

    print(replot(Path(sys.argv[1])))
