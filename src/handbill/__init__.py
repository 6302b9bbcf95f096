"""handbill: a statement and a layout in, print-ready PDFs out.

The pipeline, one module a stage:

    statement.py  read the statement file       -> Statement
    layout.py     read the layout definition    -> Layout
    compose.py    fit the text, place the QR    -> Composition (plain data, in points)
    render.py     draw the Composition          -> PDF bytes
    build.py      tie them together, write files atomically

The command line (cli.py) is a thin shell over build.py.
"""

from .errors import HandbillError

__version__ = "0.1.0"
__all__ = ["HandbillError", "__version__"]
