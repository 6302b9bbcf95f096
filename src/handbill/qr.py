"""The QR code: check the url, make the module matrix, outline it, place it on the page.

Pure functions, no PDF. The dark modules become one Polygon of closed contours (filled
even-odd, holes as their own contours) traced along the boundary between dark and light,
so neighbouring modules merge and no hairline seam can show between them when printed.
Sizes follow PRINT-SHOP.md: a quiet zone of 4 modules, modules of at least ~0.5 mm.
"""

from __future__ import annotations

import math
import unicodedata
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import qrcode
import qrcode.constants
import qrcode.exceptions

from .composition import Polygon
from .errors import InputError
from .printshop import QR_MODULE_GOOD_MM, QR_QUIET_ZONE
from .units import CMYK, MM

LEVELS = MappingProxyType({
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
})

Matrix = tuple[tuple[bool, ...], ...]
Contour = tuple[tuple[int, int], ...]


def check_url(url: str | None, *, where: str) -> str:
    """The url stripped of surrounding whitespace, if it is an absolute http(s) link."""
    url = (url or "").strip()
    if not url:
        raise InputError(
            f"{where} has no url for the QR code; add 'url: https://…' to its front matter or pass --url"
        )
    for i, ch in enumerate(url):
        if ch.isspace() or unicodedata.category(ch).startswith("C"):
            what = "a space" if ch.isspace() else "an invisible character"
            raise InputError(
                f"the url {url!r} in {where} has {what} (U+{ord(ch):04X}) at character {i + 1}; "
                "write spaces as %20 and remove anything that was pasted in by accident"
            )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
        _ascii_uri(url)  # raises UnicodeError on a host that cannot be spelled in ASCII
    except (ValueError, UnicodeError) as e:
        raise InputError(f"the url {url!r} in {where} cannot be read ({e}); check it in a browser") from None
    scheme = parts.scheme.lower()
    # "example.org" has no scheme; "example.org:80" and "localhost:8000" read as one
    if not scheme or "." in scheme or (not parts.netloc and parts.path[:1].isdigit()):
        raise InputError(
            f"the url {url!r} in {where} has no 'https://' in front; write it in full, "
            f"for example 'https://{url}'"
        )
    if scheme not in ("http", "https"):
        raise InputError(
            f"the url {url!r} in {where} cannot go in the QR code: only http:// and https:// links "
            "open on every phone; give the web address of the full text"
        )
    if not parts.hostname:
        raise InputError(
            f"the url {url!r} in {where} has no web site after '{parts.scheme}://'; "
            "give the full address, for example 'https://example.org/statement'"
        )
    return url


def _ascii_uri(url: str) -> str:
    """The url as pure ASCII: host in punycode, the rest percent-encoded as UTF-8. QR byte
    mode is officially Latin-1, so non-ASCII text would decode differently on some phones."""
    if url.isascii():
        return url
    parts = urllib.parse.urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not hostport.isascii():  # an IPv6 literal is ASCII, so the first ':' starts the port
        host, colon, port = hostport.partition(":")
        hostport = host.encode("idna").decode("ascii") + colon + port
    netloc = userinfo + at + hostport
    safe = "!#$%&'()*+,/:;=?@[]~"
    return urllib.parse.urlunsplit(
        (parts.scheme, urllib.parse.quote(netloc, safe=safe))
        + tuple(urllib.parse.quote(p, safe=safe) for p in parts[2:])
    )


def _level(error_correction: str) -> int:
    level = LEVELS.get(str(error_correction).upper())
    if level is None:
        raise InputError(
            f"the QR error correction {error_correction!r} is not one of L, M, Q, H; "
            "use M, or Q/H for rough prints"
        )
    return level


def _make(url: str, error_correction: str) -> qrcode.QRCode:
    code = qrcode.QRCode(version=None, error_correction=_level(error_correction), border=0)
    code.add_data(_ascii_uri(url))
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):  # qrcode 8 says "Invalid version (was 41"
        raise InputError(
            f"the url ({len(url)} characters) is too long for a QR code at "
            f"{str(error_correction).upper()} error correction; use a shorter link"
        ) from None
    return code


def qr_matrix(url: str, error_correction: str = "M") -> Matrix:
    """The modules (True = dark), rows top to bottom, without the quiet zone; the smallest
    version that holds the url."""
    return _code(url, error_correction)[0]


@lru_cache(maxsize=256)  # bounded: its keys come from statements, which a service sees without end
def _code(url: str, error_correction: str) -> tuple[Matrix, int]:
    """(matrix, version), made once per url: a batch prints the same code on many kits,
    and choosing the best mask is the slow part."""
    code = _make(url, error_correction)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix()), code.version


@lru_cache(maxsize=256)  # bounded: its keys come from statements, which a service sees without end
def qr_outline(matrix: Matrix) -> tuple[Contour, ...]:
    """The dark modules as closed contours of module-grid corners (x right, y down).

    Every dark module contributes its four edges, clockwise on screen (dark on the right);
    an edge shared with a dark neighbour meets its reverse and both cancel. The rest chain
    into loops: outlines clockwise, holes anticlockwise. Where two dark modules touch only at
    a corner, the chain turns right, so they stay separate contours. Each contour lists only
    its corners, starting from its top-left one; the contours are sorted.
    """
    edges: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                corners = ((x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1))
                for a, b in zip(corners, corners[1:] + corners[:1]):
                    if (b, a) in edges:
                        edges.remove((b, a))
                    else:
                        edges.add((a, b))
    outgoing: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in edges:
        outgoing.setdefault(a, []).append(b)

    def after(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        ends = outgoing[b]  # two only where modules touch at a corner: take the right turn
        return ends[0] if len(ends) == 1 else (b[0] - (b[1] - a[1]), b[1] + (b[0] - a[0]))

    contours = []
    for start in sorted(edges, key=lambda e: (e[0][1], e[0][0], e[1][1], e[1][0])):
        if start not in edges:
            continue
        points = [start[0]]
        a, b = start
        while True:
            edges.remove((a, b))
            points.append(b)
            a, b = b, after(a, b)
            if (a, b) == start:
                break
        points.pop()  # back at start[0]
        corners = [p for i, p in enumerate(points) if _turns(points[i - 1], p, points[(i + 1) % len(points)])]
        first = min(range(len(corners)), key=lambda i: (corners[i][1], corners[i][0]))
        contours.append(tuple(corners[first:] + corners[:first]))
    return tuple(sorted(contours, key=lambda c: [(p[1], p[0]) for p in c]))


def _turns(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int]) -> bool:
    """Whether the path a -> b -> c changes direction at b (all steps are axis-aligned)."""
    return not (a[0] == b[0] == c[0] or a[1] == b[1] == c[1])


@dataclass(frozen=True)
class QRPlacement:
    """A QR code placed in a square of the page (points, y up), quiet zone included."""

    module_pt: float
    version: int
    modules: int  # modules across, without the quiet zone
    quiet_zone_modules: int
    x: float  # the square, bottom-left corner and side
    y: float
    size: float
    polygon: Polygon


def min_side_pt(url: str, error_correction: str = "M", min_module_pt: float = QR_MODULE_GOOD_MM * MM) -> float:
    """The smallest square (quiet zone included) whose modules are at least min_module_pt."""
    return (len(qr_matrix(url, error_correction)) + 2 * QR_QUIET_ZONE) * min_module_pt


def place_qr(
    url: str,
    *,
    x: float,
    y: float,
    size: float,
    error_correction: str = "M",
    min_module_pt: float = QR_MODULE_GOOD_MM * MM,
    color: CMYK = (0.0, 0.0, 0.0, 1.0),
    where: str,
) -> QRPlacement:
    """The code for url filling the square (x, y, size), with a 4-module quiet zone inside it."""
    try:
        matrix, version = _code(url, error_correction)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    n = len(matrix)
    module = size / (n + 2 * QR_QUIET_ZONE)
    if module < min_module_pt:
        need = math.ceil((n + 2 * QR_QUIET_ZONE) * min_module_pt / MM * 10 - 1e-9) / 10
        raise InputError(
            f"{where}: the QR code needs a square of at least {need:g} mm for this url (version "
            f"{version}, {str(error_correction).upper()} error correction, modules of at least "
            f"{min_module_pt / MM:.2g} mm) but gets only {size / MM:.1f} mm; "
            "make the block larger or the url shorter"
        )
    left, top = x + QR_QUIET_ZONE * module, y + size - QR_QUIET_ZONE * module
    contours = tuple(
        tuple((left + gx * module, top - gy * module) for gx, gy in contour) for contour in qr_outline(matrix)
    )
    return QRPlacement(module, version, n, QR_QUIET_ZONE, x, y, size, Polygon(contours, color, (x, y, size, size)))
