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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s module is imported to add its options.

    Every registered command is listed (with its one-line help) without
    importing it, so ``bitextqa --help`` and each command start fast.
    """
    parser = argparse.ArgumentParser(
        prog="bitextqa",
        description="Align documents with their translations sentence by sentence and report "
        "untranslated, dropped and mistranslated content.",
    )
    parser.add_argument("--version", action="version", version=f"bitextqa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        if name != command:
            sub.add_parser(name, help=help_text, add_help=False)
            continue
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=help_text, description=module.__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.configure(p)
        p.set_defaults(_module=module)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (the first word that is one), if any."""
    return next((a for a in argv if a in COMMANDS), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bitextqa`` console script; returns the process exit code.

    Errors the user can fix are handled by each command; anything else is a bug in
    bitextqa: it is logged with its traceback and exits with code 1.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_of(argv)).parse_args(argv)
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
