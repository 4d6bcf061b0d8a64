"""The ``briefing`` group, its global options, and the entry point."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ..config import MODES, Settings, load_config
from .output import EXIT_USAGE, PipeClosed, fail, say, utf8
from .session import check_corpus, check_same_corpus, errors

EPILOG = """\b
Examples:
  briefing                              open the reader on the corpus
  briefing --corpus ~/news index rebuild
  briefing search 深圳 --lang zh         search, as a table
  briefing search '"双城联动" -广州' --json
  briefing search 'Shenzhen date:2020-05' --sort date
  briefing search - --json < queries.txt
  briefing show 002 | grep 深圳
  briefing align 002 000
  briefing clip 002 7 --note "the founding quote"
  briefing export --format html -o briefing.html
  briefing watch add 'Shenzhen date:2020..' --name shenzhen
  briefing index update && briefing watch run --json

\b
Queries:
  words (all must match)   "an exact phrase"   a OR b   a NOT b   -b
  ( ... )   lang:zh   city:Shenzhen (or place:)   speaker:"Hu Gang"   article:002
  kind:turn   (kinds: title meta heading body turn boilerplate)
  date:2020-05-18   date:2020-05   date:2020   date:2020-05-01..2020-05-31   date:..2020-05-17
  (articles without a date never match date:)

\b
Exit codes:
  0 success   1 failure (the previous index is untouched)
  2 usage error: a bad option, query, id or YAML file (named with its line)
  3 index built, but some files were skipped (each one is named)
"""


# -- the command group -------------------------------------------------------
@click.group(invoke_without_command=True, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--corpus", type=click.Path(file_okay=False, exists=True, path_type=Path), envvar="BRIEFING_CORPUS",
              help="Corpus folder (default: the bundled corpus). Env: BRIEFING_CORPUS.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="BRIEFING_INDEX",
              help="Index folder (default: one per corpus in the user data dir). Env: BRIEFING_INDEX.")
@click.option("--bidi", type=click.Choice(MODES), envvar="BRIEFING_BIDI",
              help="For the reader only: how Arabic is drawn. 'visual' reorders for terminals that do not "
                   "(most), 'terminal' leaves it to terminals that do (mlterm, Konsole), 'auto' guesses. "
                   "Config key: bidi. Env: BRIEFING_BIDI.")
@click.version_option(None, "-V", "--version", package_name="briefing")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, index_dir: Path | None, bidi: str | None) -> None:
    """Read, search and compare multilingual news briefings.

    With no command, opens the reader on the corpus.
    """
    with errors():
        config = load_config()
    for option, path in (("--corpus", corpus), ("--index", index_dir)):
        if path is not None:
            from corpus.text import undecodable

            shown = undecodable(str(path))
            if shown is not None:
                fail(f"{option} {shown}: the path is not UTF-8 (a legacy encoding?); rename the folder, or link it "
                     "under a UTF-8 name (ln -s)", EXIT_USAGE)
    ctx.obj = Settings(corpus, index_dir, bidi or config.get("bidi"), config.get("briefing"), config.get("memory"))
    if ctx.invoked_subcommand is not None:
        if bidi and ctx.get_parameter_source("bidi") is click.core.ParameterSource.COMMANDLINE:
            say("briefing: note: --bidi is for the reader only; commands print text in logical order "
                "(pipe it to a bidi-aware viewer, or use --json)")
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the reader needs a terminal (stdin and stdout are not one); in scripts use a command, "
             "e.g. briefing search QUERY --json (see briefing --help)", EXIT_USAGE)
    with errors():
        check_same_corpus(ctx.obj)
        if not (ctx.obj.index / "current").exists():
            check_corpus(ctx.obj)  # the reader is about to build it
        from ..app import run_app

        run_app(ctx.obj)



# -- the entry point -----------------------------------------------------------
def tolerant_streams() -> None:
    """A locale that cannot encode every character (LC_ALL=de_DE.ISO-8859-1)
    gets a replacement character instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if not utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> None:
    """``briefing``: click's command line, with its errors printed safely,
    and a closed pipe treated as the end of the output."""
    tolerant_streams()
    try:
        try:
            code = cli.main(args=list(argv) if argv is not None else None, prog_name="briefing",
                            standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        except click.ClickException as exc:
            buf = io.StringIO()
            exc.show(file=buf)
            say(buf.getvalue().rstrip("\n"))
            code = exc.exit_code
        except click.Abort:
            say("briefing: interrupted")
            code = 130
        sys.stdout.flush()
    except (BrokenPipeError, PipeClosed):
        # The reader of our output has gone (| head): nothing is lost, so leave
        # quietly, and keep Python from complaining when it flushes stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code if isinstance(code, int) else (0 if code is None else 1))
