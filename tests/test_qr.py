"""The QR code's promises, read back by real tools.

The outline is rasterised by Pillow (each contour XORed onto a mask: the even-odd rule)
and decoded by zxing-cpp; the exact checks compare it with the module matrix, module for
module and edge for edge, so a seam or a missing module cannot hide.
"""

from __future__ import annotations

import math
import urllib.parse

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from handbill.composition import Polygon
from handbill.errors import InputError
from handbill.qr import QRPlacement, check_url, min_side_pt, place_qr, qr_matrix, qr_outline

MM = 72 / 25.4
PX = 8  # pixels per module
BLACK = (0.0, 0.0, 0.0, 1.0)
URLS = [
    "https://ex.am/s",
    "https://example.org/statements/2024/housing-for-all?utm_source=leaflet&utm_medium=print&lang=en#full-text",
    "https://example.org/" + urllib.parse.quote("déclaration/grève-générale"),
    "http://192.168.1.20:8080/a",
]


def place(url: str, size: float, x: float = 0.0, y: float = 0.0, level: str = "M", **kw) -> QRPlacement:
    kw = {"min_module_pt": 0.5 * MM, "color": BLACK, "where": "block 4 (qr)"} | kw
    return place_qr(url, x=x, y=y, size=size, error_correction=level, **kw)


def rasterise(contours, width: int, height: int, scale: float = PX, origin=(0.0, 0.0), flip=False):
    """Black-on-white, even-odd: each contour is filled on its own and XORed in."""
    ink = Image.new("1", (width, height), 0)
    for contour in contours:
        mask = Image.new("1", (width, height), 0)
        points = [((x - origin[0]) * scale, (y - origin[1]) * scale) for x, y in contour]
        if flip:  # PDF y up -> image y down
            points = [(x, height - y) for x, y in points]
        ImageDraw.Draw(mask).polygon(points, fill=1)
        ink = ImageChops.logical_xor(ink, mask)
    return ImageChops.invert(ink.convert("L"))


def with_border(image: Image.Image, modules: int = 4) -> Image.Image:
    framed = Image.new("L", (image.width + 2 * modules * PX, image.height + 2 * modules * PX), 255)
    framed.paste(image, (modules * PX, modules * PX))
    return framed


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def module_grid(image: Image.Image, n: int) -> list[list[bool]]:
    """Dark or light at each module's centre."""
    return [[image.getpixel((x * PX + PX // 2, y * PX + PX // 2)) == 0 for x in range(n)] for y in range(n)]


def assert_fill_equals(matrix) -> None:
    """Every pixel that is not on a module boundary has the colour of its module."""
    n = len(matrix)
    image = rasterise(qr_outline(matrix), n * PX, n * PX)
    for py in range(n * PX):
        if py % PX == 0:
            continue  # on a grid line: Pillow fills polygon edges inclusively
        for px in range(n * PX):
            if px % PX and (image.getpixel((px, py)) == 0) != matrix[py // PX][px // PX]:
                raise AssertionError(f"module ({px // PX}, {py // PX}) filled wrongly at pixel ({px}, {py})")


def unit_edges(contours) -> list[frozenset]:
    edges = []
    for contour in contours:
        for a, b in zip(contour, contour[1:] + contour[:1]):
            (x0, y0), (x1, y1) = a, b
            steps = abs(x1 - x0) + abs(y1 - y0)
            dx, dy = (x1 - x0) // steps, (y1 - y0) // steps
            corners = [(x0 + i * dx, y0 + i * dy) for i in range(steps + 1)]
            edges += [frozenset(pair) for pair in zip(corners, corners[1:])]
    return edges


def boundary_edges(matrix) -> set[frozenset]:
    """The unit edges between a dark module and a light one (or the outside)."""
    n = len(matrix)

    def dark(x, y):
        return 0 <= x < n and 0 <= y < n and matrix[y][x]

    edges = set()
    for y in range(n + 1):
        for x in range(n + 1):
            if dark(x, y) != dark(x, y - 1):
                edges.add(frozenset({(x, y), (x + 1, y)}))
            if dark(x, y) != dark(x - 1, y):
                edges.add(frozenset({(x, y), (x, y + 1)}))
    return edges


# --- the outline reads back as the url --------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_outline_decodes_to_the_url(url):
    matrix = qr_matrix(url)
    n = len(matrix)
    image = with_border(rasterise(qr_outline(matrix), n * PX, n * PX))
    assert decode(image) == [url]


def test_a_unicode_url_goes_in_percent_encoded_and_the_text_stays_readable():
    url = check_url("https://example.org/déclaration?à=ü", where="the statement x.md")
    assert url == "https://example.org/déclaration?à=ü"  # printed beside the code as written
    matrix = qr_matrix(url)
    image = with_border(rasterise(qr_outline(matrix), len(matrix) * PX, len(matrix) * PX))
    assert decode(image) == ["https://example.org/d%C3%A9claration?%C3%A0=%C3%BC"]
    assert qr_matrix("https://bücher.example/") == qr_matrix("https://xn--bcher-kva.example/")


@pytest.mark.parametrize("url", URLS[:2])
def test_the_code_placed_on_a_page_decodes_with_only_its_own_quiet_zone(url):
    size = 60 * MM
    placement = place(url, size, x=30.0, y=40.0)
    scale = 4.0  # px per point
    side = math.ceil(size * scale)
    image = rasterise(placement.polygon.contours, side, side, scale=scale, origin=(30.0, 40.0), flip=True)
    assert decode(image) == [url]  # the square's own quiet zone is enough


# --- exact: the even-odd fill is the matrix, the boundary is the matrix's ----------

http_urls = st.builds(
    lambda scheme, host, tld, path, query: f"{scheme}://{host}.{tld}/{path}" + (query and f"?q={query}"),
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.sampled_from(["org", "net", "de", "example"]),
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%", max_size=120),
    st.text("abcxyz0123456789=&+", max_size=40),
)


@settings(max_examples=40, deadline=None)
@given(http_urls, st.sampled_from("LMQH"))
def test_outline_fills_exactly_the_dark_modules(url, level):
    assert check_url(url, where="test") == url
    matrix = qr_matrix(url, level)
    assert_fill_equals(matrix)
    edges = unit_edges(qr_outline(matrix))
    assert len(edges) == len(set(edges)), "an edge drawn twice: a seam"
    assert set(edges) == boundary_edges(matrix)


@pytest.mark.parametrize(
    "rows",
    [
        ["#"],
        ["#.", ".#"],  # touching at a corner
        [".#", "#."],
        ["###", "#.#", "###"],  # a hole
        ["#.#", ".#.", "#.#"],  # five corners touching
        ["####", "#..#", "#.##", "####"],  # a hole touching the outline's inside corner
        ["##.", "#.#", ".##"],  # a ring closed by corners
    ],
)
def test_the_outline_of_tricky_module_patterns_fills_exactly_the_dark_modules(rows):
    matrix = tuple(tuple(c == "#" for c in row) for row in rows)
    assert_fill_equals(matrix)
    edges = unit_edges(qr_outline(matrix))
    assert len(edges) == len(set(edges)) and set(edges) == boundary_edges(matrix)


def test_outline_shapes_are_minimal_and_deterministic():
    assert qr_outline(((True, True), (True, True))) == (((0, 0), (2, 0), (2, 2), (0, 2)),)
    assert qr_outline(((True, False), (False, True))) == (
        ((0, 0), (1, 0), (1, 1), (0, 1)),
        ((1, 1), (2, 1), (2, 2), (1, 2)),
    )
    ring = qr_outline(((True,) * 3, (True, False, True), (True,) * 3))
    hole_runs_the_other_way = ((1, 1), (1, 2), (2, 2), (2, 1))
    assert ring == (((0, 0), (3, 0), (3, 3), (0, 3)), hole_runs_the_other_way)
    assert qr_outline(((False, False), (False, False))) == ()
    matrix = qr_matrix(URLS[1])
    assert qr_outline(matrix) == qr_outline(matrix)


@pytest.mark.parametrize("url", URLS)
def test_contours_are_closed_axis_aligned_and_minimal(url):
    for contour in qr_outline(qr_matrix(url)):
        assert len(contour) >= 4 and len(contour) % 2 == 0
        for i, p in enumerate(contour):
            prev, nxt = contour[i - 1], contour[(i + 1) % len(contour)]
            assert p != nxt, "repeated point"
            assert (p[0] == nxt[0]) != (p[1] == nxt[1]), "not axis-aligned"
            assert not (prev[0] == p[0] == nxt[0] or prev[1] == p[1] == nxt[1]), "collinear point"
            assert all(isinstance(v, int) for v in p)


# --- placement on the page ---------------------------------------------------------


def test_placement_keeps_the_quiet_zone_and_maps_back_to_the_grid():
    url, x, y, size = URLS[1], 100.0, 200.0, 40 * MM
    placement = place(url, size, x=x, y=y, color=(0.1, 0.2, 0.3, 0.9))
    matrix = qr_matrix(url)
    n = len(matrix)
    assert isinstance(placement, QRPlacement) and isinstance(placement.polygon, Polygon)
    assert placement.polygon.color == (0.1, 0.2, 0.3, 0.9)
    assert (placement.x, placement.y, placement.size) == (x, y, size)
    assert placement.modules == n == 17 + 4 * placement.version
    assert placement.quiet_zone_modules == 4
    m = placement.module_pt
    assert m == pytest.approx(size / (n + 8)) and m >= 0.5 * MM
    points = [p for c in placement.polygon.contours for p in c]
    assert min(px for px, _ in points) == pytest.approx(x + 4 * m)
    assert max(px for px, _ in points) == pytest.approx(x + size - 4 * m)
    assert min(py for _, py in points) == pytest.approx(y + 4 * m)
    assert max(py for _, py in points) == pytest.approx(y + size - 4 * m)
    # page points back to grid corners (y flipped, not mirrored): exactly the outline
    back = tuple(
        tuple((round((px - x) / m) - 4, round((y + size - py) / m) - 4) for px, py in c)
        for c in placement.polygon.contours
    )
    assert back == qr_outline(matrix)


def test_the_smallest_square_allowed_gives_modules_of_exactly_the_minimum_size():
    url = URLS[0]
    side = min_side_pt(url, "M", 0.5 * MM)
    assert side == pytest.approx((len(qr_matrix(url)) + 8) * 0.5 * MM)
    assert place(url, side).module_pt == pytest.approx(0.5 * MM)
    with pytest.raises(InputError):
        place(url, side * 0.99)


def test_too_small_a_square_says_how_big_it_must_be():
    url = URLS[1]
    need_mm = min_side_pt(url, "Q", 0.5 * MM) / MM
    with pytest.raises(InputError) as e:
        place(url, 15 * MM, level="Q")
    message = str(e.value)
    assert message.startswith("block 4 (qr): the QR code needs a square of at least ")
    assert f"at least {math.ceil(need_mm * 10) / 10:g} mm" in message
    assert f"version {len(qr_matrix(url, 'Q')) // 4 - 4}, Q error correction" in message
    assert "modules of at least 0.5 mm" in message and "15.0 mm" in message
    assert "make the block larger or the url shorter" in message


def test_error_correction_levels_give_larger_versions():
    # 29 bytes; byte-mode capacities (ISO/IEC 18004 table 7): v2 L 32, v3 M 42 Q 32, v4 H 34
    url = "https://example.org/statement"
    versions = {level: (len(qr_matrix(url, level)) - 17) // 4 for level in "LMQH"}
    assert versions == {"L": 2, "M": 3, "Q": 3, "H": 4}
    assert qr_matrix(url, "m") == qr_matrix(url)
    with pytest.raises(InputError, match="not one of L, M, Q, H"):
        qr_matrix(url, "X")


def test_a_url_too_long_for_any_qr_code():
    with pytest.raises(InputError, match=r"block 4 \(qr\): the url \(3020 characters\) is too long .* H error"):
        place("https://example.org/" + "a" * 3000, 500, level="H", min_module_pt=1)


# --- urls that cannot go in the code -----------------------------------------------


def test_a_good_url_comes_back_stripped():
    assert check_url("  https://example.org/s?a=1#x \n", where="w") == "https://example.org/s?a=1#x"
    assert check_url("HTTP://EXAMPLE.ORG", where="w") == "HTTP://EXAMPLE.ORG"


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            None,
            "the statement x.md has no url for the QR code; add 'url: https://…' to its front matter or pass --url",
        ),
        ("", "has no url for the QR code"),
        ("   ", "has no url for the QR code"),
        ("example.org", "has no 'https://' in front; write it in full, for example 'https://example.org'"),
        ("localhost:8000/s", "has no 'https://' in front"),
        ("ftp://x", "the url 'ftp://x' in the statement x.md cannot go in the QR code: only http:// and https://"),
        ("javascript:alert(1)", "cannot go in the QR code"),
        ("mailto:a@example.org", "cannot go in the QR code"),
        ("https://", "has no web site after 'https://'"),
        ("https:///path", "has no web site"),
        ("https://example.org/our statement", "has a space (U+0020) at character 24; write spaces as %20"),
        ("https://example.org/\x07", "has an invisible character (U+0007)"),
        ("https://exam\u200bple.org", "has an invisible character (U+200B)"),
        ("https://example.org:99999/", "cannot be read"),
        ("http://[::1/", "cannot be read"),
    ],
)
def test_bad_urls_are_refused_with_the_fix(url, expected):
    with pytest.raises(InputError) as e:
        check_url(url, where="the statement x.md")
    assert expected in str(e.value)
    assert "the statement x.md" in str(e.value)
    assert "\n" not in str(e.value)
