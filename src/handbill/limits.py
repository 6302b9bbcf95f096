"""Limits: how much a layout or a build may ask for, stated once.

Each is handbill's own judgement, far beyond anything a real layout needs, and each is
there so that a careless or hostile input (a layout of 10,000 blocks, a block on page
100,000,000, a poster cut into 4,000 sheets) is refused at once in one sentence naming
the limit, instead of building for minutes in gigabytes. Values are immutable numbers.
"""

from __future__ import annotations

MAX_BLOCKS = 200  # blocks in one layout; the bundled layouts have at most 10
MAX_PAGE = 100  # the largest page number a block may be on; the bundled layouts have at most 2 pages
MAX_TILES = 250  # sheets one tiled poster is cut into: a 2 x 3 m banner on A4 needs about 130
