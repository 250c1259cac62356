"""The ``bitextqa`` command line: parses arguments and hands them to one command module.

Each sub-command lives in its own module exposing ``configure(parser)`` and
``main(args) -> int``; modules are imported only when their command runs, so
``bitextqa --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Sequence

from align import __version__

#: sub-command name → (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("pipelines.run_command", "align, check and report documents (the main job)"),
    "eval": ("pipelines.eval_command", "score the aligner against gold alignments"),
    "export-tmx": ("pipelines.export_command", "export aligned pairs of a run as TMX, Moses or TSV"),
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="bitextqa",
        description="Align documents with their translations sentence by sentence and report "
        "untranslated, dropped and mistranslated content.",
    )
    parser.add_argument("--version", action="version", version=f"bitextqa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not built yet in this checkout
        p = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.configure(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bitextqa`` console script; returns the process exit code.

    Errors the user can fix are handled by each command; anything else is a bug in
    bitextqa: it is logged with its traceback and exits with code 1.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args._module.main(args))
    except KeyboardInterrupt:
        logging.getLogger("bitextqa").error("interrupted")
        return 130
    except Exception:  # the last line of defence: a bug, reported as such
        logging.getLogger("bitextqa").exception(
            "internal error in bitextqa (a bug: please report it with the lines above)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
