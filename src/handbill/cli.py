"""The command line: parse arguments, call the library, print, set the exit code.

Exit codes: 0 done, 1 the work failed (bad input, text too long), 2 the command was used
wrongly. A user's mistake is one line on stderr, never a traceback (--debug shows it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from . import __version__
from .errors import HandbillError
from .printshop import OFFICE_MARGIN_MM, TAC_LIMIT_PCT

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
POSTER_ONLY = ("a3-poster",)  # what --size and --tile enlarge when no --layout is named


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
        "an A4 leaflet and an A3 poster (with --size or --tile: the poster only). "
        "Files are named <statement>-<layout>.pdf.",
    )
    build.add_argument("statement", help="the statement: Markdown with front matter (.md) or plain text (.txt)")
    build.add_argument(
        "--layout", action="append", default=[], metavar="NAME|PATH",
        help="a bundled layout (see `handbill layouts`) or a layout file; repeat for several",
    )
    build.add_argument("--out", default="out", metavar="DIR", help="where to write the PDFs (default: out)")
    build.add_argument("--marks", action="store_true", help="draw crop marks outside the bleed, for the print shop")
    _add_json_option(build, "the files written and every note and warning")
    _add_output_options(build, sheets="and <statement>-contact-sheet.png of the whole kit")
    impose = build.add_argument_group("sheets and tiles")
    impose.add_argument(
        "--sheet", metavar="PAPER",
        help="print several copies on one sheet and cut: as many as fit (A5 2-up or A6 4-up on A4), with cut marks",
    )
    impose.add_argument(
        "--stack", action="store_true",
        help="with --sheet: different pages share a sheet in cut-and-stack order (cut, stack the piles, done)",
    )
    impose.add_argument(
        "--duplex", choices=("long-edge", "short-edge"),
        help="with --sheet: pages are front and back; each back sheet registers with its front "
        "when the printer turns the sheet this way",
    )
    impose.add_argument(
        "--size", metavar="PAPER",
        help="enlarge (or reduce) the layout to exactly this paper, e.g. A1, its bleed kept at 3 mm; all vector; "
        "with no --layout, the poster only",
    )
    impose.add_argument(
        "--tile", metavar="PAPER",
        help="cut the (enlarged) poster onto sheets of this paper, with an assembly page, labels, and trim and "
        "alignment marks of its own (no --marks); with no --layout, the poster only",
    )
    impose.add_argument(
        "--overlap", metavar="LENGTH", help="with --tile: how much neighbouring sheets share (default 10mm; 0 for none)"
    )
    _add_paper_option(build)
    _add_statement_options(build, url="the web address of the full text, for the QR code (overrides the statement's)")

    batch = commands.add_parser(
        "batch", help="one kit per event: a CSV of rallies, each with its date, time and place",
        description="Build, for each row of an events CSV (columns: name or city, date, time, place, note, url), "
        "the kit (or the layouts given) with that row's event filled in and its own QR url if it has one. "
        "Files are named as build names them, with the row's name after the statement's: "
        "<statement>-<name>-<layout>[-<paper>][-office][-mono].pdf. A bad row is reported by the line it "
        "starts on and the others still build; exit 1 if any row failed.",
    )
    batch.add_argument("statement", help="the statement: Markdown with front matter (.md) or plain text (.txt)")
    batch.add_argument("--events", required=True, metavar="FILE.csv", help="the events, one row per rally")
    batch.add_argument("--layout", action="append", default=[], metavar="NAME|PATH", help="a layout; repeat for several (default: the kit)")
    batch.add_argument("--out", default="out", metavar="DIR", help="where to write the PDFs (default: out)")
    _add_paper_option(batch)
    _add_json_option(batch, "the rows built and failed, the files written, every note and warning")
    _add_output_options(batch, sheets="and <statement>-<name>-contact-sheet.png of each row's kit")
    _add_statement_options(batch, url="the url for rows that give none (overrides the statement's)")

    inspect = commands.add_parser(
        "inspect", help="show what handbill understood of a statement",
        description="Show what handbill understood of a statement: title, slogans, paragraphs, url.",
    )
    inspect.add_argument("statement")
    inspect.add_argument("--title")
    inspect.add_argument("--url")
    inspect.add_argument("--lang")

    layouts = commands.add_parser("layouts", help="list the bundled layouts", description="List the bundled layouts.")
    layouts.add_argument(
        "--preview", metavar="DIR",
        help="write DIR/<layout>.png, a thumbnail of every bundled layout filled with a sample statement",
    )
    layouts.add_argument(
        "--statement", metavar="S",
        help="with --preview: the statement to fill them with (default: the bundled example, housing-not-demolitions.md)",
    )
    layouts.add_argument("--url", help="with --statement: the web address of the full text, for the QR codes")
    layouts.add_argument("--title", help="with --statement: the title (overrides the statement's)")

    check = commands.add_parser(
        "check", help="preflight a PDF as a print shop would",
        description="Preflight a PDF as a print shop would: trim, bleed, fonts, colour, ink, transparency, "
        "images, text sizes, lines, QR codes and PDF/X-1a, page by page, each problem with advice. "
        "Exit 0 when there are no errors, 1 when there are.",
    )
    check.add_argument("pdf", metavar="FILE.pdf", help="the PDF to check (any PDF, not only handbill's)")
    check.add_argument("--json", action="store_true", help="print the report as JSON (schema in docs/check.md)")
    check.add_argument("--statement", metavar="S", help="a statement whose every paragraph must be in the PDF's text")
    check.add_argument(
        "--paper", choices=("coated", "uncoated"),
        help=f"the paper it will be printed on: the ink limit is {TAC_LIMIT_PCT['coated']:g} %% coated, "
        f"{TAC_LIMIT_PCT['uncoated']:g} %% uncoated "
        "(default: what the PDF's output intent says, else uncoated)",
    )
    serve = commands.add_parser(
        "serve", help="start the web page (and its JSON API) for organisers",
        description="Start the web page and its JSON API. Jobs run in a small pool of worker processes on this "
        "machine, or with --queue on an RQ queue in Redis that `handbill worker` processes run.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--queue", metavar="redis://HOST:6379/0", help="put jobs on this Redis (RQ) instead of the embedded pool")
    serve.add_argument(
        "--workers", type=int, metavar="N",
        help="worker processes: of the embedded pool (default 2), or with --queue, `handbill worker`s started beside the page (default 0)",
    )
    serve.add_argument("--ttl", type=float, default=3600, metavar="SECONDS", help="how long results are kept (default 3600)")
    serve.add_argument("--time-limit", type=float, default=60, metavar="SECONDS", help="how long a job may run (default 60)")
    worker = commands.add_parser(
        "worker", help="run web jobs from a Redis queue (see serve --queue)",
        description="Run the jobs that `handbill serve --queue` puts on the RQ queue, until stopped.",
    )
    worker.add_argument("--queue", required=True, metavar="redis://HOST:6379/0", help="the Redis the page puts jobs on")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    return parser


def _add_paper_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--paper", action="append", default=[], metavar="SIZE|STOCK",
        help="a paper size to re-target every layout to (A0-A7, B0-B6, Letter, Legal, Tabloid, long-bond, "
        "\"210 x 297 mm\", \"8.5 x 13 in\"; the layout's orientation is kept), and/or the stock the print shop prints on: "
        "coated (default, FOGRA39) or uncoated (FOGRA52, files end in -uncoated), which names the PDF/X-1a output "
        "intent; repeat for both",
    )


def _add_json_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--json", action="store_true",
        help=f"print {what} as JSON on stdout (problems with severity, code, where, message, fix; see README)",
    )


def _add_statement_options(command: argparse.ArgumentParser, *, url: str) -> None:
    """What build and batch share about the statement: overrides, a translation, fonts."""
    command.add_argument("--title", help="the title (overrides the statement's)")
    command.add_argument("--url", help=url)
    command.add_argument("--lang", help="the language tag, e.g. en, fil, ar (overrides the statement's)")
    command.add_argument(
        "--translation", metavar="FILE",
        help="a second statement file in another language: its title and slogans are the translation "
        "a bilingual layout (a3-poster-bilingual) prints",
    )
    command.add_argument(
        "--font", action="append", default=[], metavar="PATH",
        help="a TrueType font (.ttf) for characters no bundled font has; may be given more than once",
    )


def _add_output_options(command: argparse.ArgumentParser, *, sheets: str) -> None:
    """--office, --mono and --preview: the same for build and batch (`sheets`: the contact sheets written)."""
    command.add_argument(
        "--office", action="store_true",
        help=f"for an office printer: trim-size pages, no bleed or marks, everything {OFFICE_MARGIN_MM:g} mm inside the edge",
    )
    command.add_argument("--mono", action="store_true", help="gray only (K), for photocopying: files end in -mono")
    command.add_argument("--preview", action="store_true", help=f"also write a PNG of each page beside each PDF, {sheets}")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error, with argparse's message
    try:
        if args.command in ("build", "batch"):
            args.options = _options(parser, args)
        return _run(args)
    except HandbillError as error:
        if args.debug:
            traceback.print_exc()
        if getattr(args, "json", False) and args.command in ("build", "batch"):
            _print_json_error(error)
        print(f"handbill: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `handbill inspect S | head`: the reader stopped reading; say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at exit's flush
        return EXIT_FAILED
    except OSError as error:  # a folder that cannot be written, a full disk
        if args.debug:
            traceback.print_exc()
        print(f"handbill: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("handbill: interrupted; nothing was written", file=sys.stderr)
        return EXIT_FAILED


def _print_json_error(error: HandbillError) -> None:
    """--json's record of a build or batch that did not start or did not finish."""
    print(json.dumps({"ok": False, "error": error.problem.as_dict()}, ensure_ascii=False, indent=2))


# What BuildOptions refuses that is the command's misuse (exit 2, with the usage), rather
# than a value that cannot be read (exit 1, like any other bad input).
USAGE_CODES = ("options-conflict", "option-value")


def _options(parser: argparse.ArgumentParser, args: argparse.Namespace):
    """The command line's words as BuildOptions, which refuses what does not go together."""
    from .options import BuildOptions

    stock, page_size = _split_paper(parser, args.paper)
    layouts = args.layout
    arranged = {}
    if args.command == "build":
        if not layouts and (args.size or args.tile):
            layouts = POSTER_ONLY  # enlarging the kit's A4 leaflet is never what was meant
        arranged = dict(marks=args.marks, sheet=args.sheet, stack=args.stack, duplex=args.duplex, size=args.size,
                        tile=args.tile, overlap_mm=_overlap(parser, args.overlap))
    try:
        return BuildOptions(layouts=tuple(layouts), stock=stock, office=args.office, mono=args.mono, page_size=page_size,
                            fonts=tuple(args.font), translation=args.translation, **arranged)
    except HandbillError as error:
        if error.problem.code in USAGE_CODES:
            if args.json:  # a script reads why, as it does for any other error
                _print_json_error(error)
            parser.error(str(error))
        raise


def _overlap(parser: argparse.ArgumentParser, given: str | None) -> float | None:
    """--overlap LENGTH in mm; "0" needs no unit (no overlap is no overlap in any unit)."""
    from .units import parse_mm

    if not given:
        return None
    try:
        return 0.0 if given.strip() == "0" else parse_mm(given)
    except ValueError as error:
        parser.error(f"--overlap: {error}")


def _split_paper(parser: argparse.ArgumentParser, given: list[str]) -> tuple[str, str | None]:
    """--paper is a stock (coated/uncoated) or a size (Letter, A4, "210 x 297 mm"), at most one of each."""
    stocks = [value for value in given if value.lower() in ("coated", "uncoated")]
    sizes = [value for value in given if value.lower() not in ("coated", "uncoated")]
    if len(stocks) > 1 or len(sizes) > 1:
        parser.error("--paper takes one size (e.g. Letter) and one stock (coated or uncoated) at most")
    return (stocks[0].lower() if stocks else "coated"), (sizes[0] if sizes else None)


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(args)
    elif args.command == "batch":
        return _batch(args)
    elif args.command == "inspect":
        from .statement import describe, read_statement

        print(describe(read_statement(args.statement, title=args.title, url=args.url, lang=args.lang)))
    elif args.command == "check":
        return _check(args)
    elif args.command in ("serve", "worker"):
        return _web(args)
    elif args.command == "layouts" and args.preview:
        return _layout_previews(args)
    elif args.command == "layouts":
        from .layout import bundled_layouts

        layouts = bundled_layouts()
        width = max(len(layout.name) for layout in layouts)
        for layout in layouts:
            print(f"{layout.name:<{width}}  {layout.description}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import build

    kit = build(args.statement, args.options, out_dir=args.out, title=args.title, url=args.url, lang=args.lang)
    pngs: list = []
    if args.preview and kit:
        from pathlib import Path

        from .preview import previews

        stem = Path(args.statement).stem  # the statement's name, as every file starts
        sheet = Path(args.out) / f"{stem}-contact-sheet.png"
        pngs = previews([built.path for built in kit], sheet, prefix=f"{stem}-")
    if args.json:
        documents = [{"path": str(built.path), "layout": built.layout, "pages": built.pages,
                      "problems": [problem.as_dict() for problem in built.problems]} for built in kit]
        print(json.dumps({"ok": True, "documents": documents, "previews": [str(png) for png in pngs]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for built in kit:
        pages = f"{built.pages} page{'s' if built.pages != 1 else ''}"
        print(f"wrote {built.path} ({built.layout}, {pages})")
        for problem in built.problems:
            print(f"  {problem.severity}: {problem}")
    if pngs:
        _say_previews(pngs, str(sheet))
    return EXIT_OK


def _layout_previews(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .preview import layout_thumbnails, sample_statement

    statement = Path(args.statement) if args.statement else sample_statement()
    paths, problems = layout_thumbnails(Path(args.preview), statement, url=args.url, title=args.title)
    print(f"wrote {len(paths)} thumbnail{'s' if len(paths) != 1 else ''} in {args.preview}")
    for problem in problems:
        print(f"handbill: error: {problem}", file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    import time

    from .batch import run_batch
    from .progress import Progress

    progress = Progress(0, label="building ")
    result = run_batch(
        args.statement, args.events, args.options, out_dir=args.out, title=args.title, url=args.url, lang=args.lang,
        preview=args.preview, progress=progress,
    )
    if args.json:  # the progress and the rows' problems were said on stderr as they came; this is the record
        print(json.dumps({
            "ok": not result.failures, "rows": result.rows, "built": result.built,
            "written": [str(path) for path in result.written],
            "failures": [failure.as_dict() for failure in result.failures],
            "problems": [problem.as_dict() for problem in result.notices + result.warnings],
            "previews": [str(png) for png in result.previews],
        }, ensure_ascii=False, indent=2))
        return EXIT_FAILED if result.failures else EXIT_OK
    elapsed = f"{time.monotonic() - progress.started:.1f}s"
    built = result.built  # counted from the files on disk
    print(
        f"{built} of {result.rows} event{'s' if result.rows != 1 else ''} built, {len(result.written)} PDFs in {args.out}"
        f" ({elapsed}); {len(result.failures)} failed" + (":" if result.failures else "")
    )
    for failure in result.failures:
        print(f"  {args.events}: {failure}")
    if args.preview and result.written:
        _say_previews(result.previews, "a contact sheet of each event's kit")
    return EXIT_FAILED if result.failures else EXIT_OK


def _say_previews(pngs: list, sheets: str) -> None:
    print(f"previews: {len(pngs)} page PNG{'s' if len(pngs) != 1 else ''} beside the PDFs, and {sheets}")


def _web(args: argparse.Namespace) -> int:
    from .web.serve import serve, worker

    if args.command == "serve":
        serve(host=args.host, port=args.port, queue=args.queue, workers=args.workers, ttl=args.ttl,
              time_limit=args.time_limit)
    else:
        worker(queue=args.queue, burst=args.burst)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .preflight import UnreadablePdf, preflight
    from .preflight.report import as_json, as_text, unreadable_as_json

    statement = None
    if args.statement:
        from .statement import read_statement

        statement = read_statement(args.statement)
    try:
        report = preflight(args.pdf, name=args.pdf, paper=args.paper, statement=statement)
    except UnreadablePdf as error:
        if args.json:  # a script still gets a report to read; the person, the line on stderr
            print(unreadable_as_json(args.pdf, error))
        raise
    print(as_json(report) if args.json else as_text(report))
    return EXIT_FAILED if report.errors else EXIT_OK
