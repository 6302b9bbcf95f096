"""The command line: parse arguments, call the library, print, set the exit code.

Exit codes: 0 done, 1 the work failed (bad input, text too long), 2 the command was used
wrongly. A user's mistake is one line on stderr, never a traceback (--debug shows it).
"""

from __future__ import annotations

import argparse
import sys
import traceback

from . import __version__
from .errors import HandbillError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbill",
        description="Turn a statement into print-ready leaflets, posters and placards (PDF).",
    )
    parser.add_argument("--version", action="version", version=f"handbill {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        help="build PDFs from a statement",
        description="Build PDFs from a statement. With no --layout, builds the kit: "
        "an A4 leaflet and an A3 poster. Files are named <statement>-<layout>.pdf.",
    )
    build.add_argument("statement", help="the statement: Markdown with front matter (.md) or plain text (.txt)")
    build.add_argument(
        "--layout", action="append", default=[], metavar="NAME|PATH",
        help="a bundled layout (see `handbill layouts`) or a layout file; repeat for several",
    )
    build.add_argument("--out", default="out", metavar="DIR", help="where to write the PDFs (default: out)")
    build.add_argument("--marks", action="store_true", help="draw crop marks outside the bleed, for the print shop")
    build.add_argument(
        "--office", action="store_true",
        help="for an office printer: trim-size pages, no bleed or marks, everything 5 mm inside the edge",
    )
    build.add_argument("--title", help="the title (overrides the statement's)")
    build.add_argument("--url", help="the web address of the full text, for the QR code (overrides the statement's)")
    build.add_argument("--lang", help="the language tag, e.g. en, fil, ar (overrides the statement's)")

    inspect = commands.add_parser(
        "inspect", help="show what handbill understood of a statement",
        description="Show what handbill understood of a statement: title, slogans, paragraphs, url.",
    )
    inspect.add_argument("statement")
    inspect.add_argument("--title")
    inspect.add_argument("--url")
    inspect.add_argument("--lang")

    commands.add_parser("layouts", help="list the bundled layouts", description="List the bundled layouts.")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error, with argparse's message
    if args.command == "build" and args.office and args.marks:
        parser.error("--office and --marks do not go together: office pages have no bleed to mark")
    try:
        return _run(args)
    except HandbillError as error:
        if args.debug:
            traceback.print_exc()
        print(f"handbill: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:  # a folder that cannot be written, a full disk
        if args.debug:
            traceback.print_exc()
        print(f"handbill: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("handbill: interrupted; nothing was written", file=sys.stderr)
        return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from .build import build

        for built in build(
            args.statement, layouts=args.layout, out_dir=args.out, marks=args.marks, office=args.office,
            title=args.title, url=args.url, lang=args.lang,
        ):
            pages = f"{built.pages} page{'s' if built.pages != 1 else ''}"
            print(f"wrote {built.path} ({built.layout}, {pages})")
            for notice in built.notices:
                print(f"  note: {notice}")
    elif args.command == "inspect":
        from .statement import describe, read_statement

        print(describe(read_statement(args.statement, title=args.title, url=args.url, lang=args.lang)))
    elif args.command == "layouts":
        from .layout import bundled_layouts

        layouts = bundled_layouts()
        width = max(len(layout.name) for layout in layouts)
        for layout in layouts:
            print(f"{layout.name:<{width}}  {layout.description}")
    return EXIT_OK
