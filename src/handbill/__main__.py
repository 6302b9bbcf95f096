"""The `handbill` command (the console script) and `python -m handbill`: cli.main, run as
a process that ends when it is done.

A build is a short process that makes a few hundred thousand objects and frees them all
at the end. Two costs of a long-running interpreter are left out for it (bench/, issue 9
item 8): the cyclic garbage collector (about 30 ms of a Latin kit, 50 ms of a Japanese
one: nothing a build makes needs it before the process ends, and its peak memory is the
same without it), and the tear-down at exit (45-100 ms: freeing every font table and
module one by one, which the operating system does at once). The PDFs are already
written, atomically and closed, when cli.main returns; what is left to do is flush
stdout and stderr, then end. Other commands (batch builds many documents in one
process, check rasters pages) keep the collector; an exception or SystemExit (argparse's
--help and usage errors) ends the process the ordinary way.
"""

import gc
import os
import sys

from .cli import main as _cli_main


def main() -> int:
    """The process's entry point (never call it in a process that should go on: after a
    build it ends the process)."""
    build = sys.argv[1:2] == ["build"]
    if build:
        gc.disable()
    code = _cli_main()
    if not build:
        return code
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # nobody reads any more, or a stream was closed
        pass
    os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
