"""handbill: a statement and a layout in, print-ready PDFs out.

The pipeline, one module a stage:

    statement.py  read the statement file       -> Statement
    layout.py     read the layout definition    -> Layout
    compose.py    fit the text, place the QR    -> Composition (plain data, in points)
    mono, impose, tiling                        -> Composition (gray; n-up sheets; tiles)
    render.py     draw the Composition          -> PDF bytes
    preflight/    read any PDF back             -> a print shop's report
    build.py      tie them together (make_kit, in memory), write files atomically
                  (batch.py: one kit per rally)

What they share: options.py (BuildOptions, what to make, validated as one value),
roles.py (the one table of block roles), problems.py (errors and notes as data).
Beside them: fonts.py and text/ (faces, shaping, line breaking, fitting), qr.py,
images.py, units.py, pdfx.py, pdfcanvas.py (reportlab's private parts, behind one door).
A build's fonts are a value (fonts.FontSet), passed in: nothing one build does is seen by
another in the same process. The command line (cli.py) is a thin shell over build.py.
"""

from .errors import HandbillError

__version__ = "0.1.0"
__all__ = ["HandbillError", "__version__"]
