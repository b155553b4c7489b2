"""The `searchidx` command: each subcommand parses its options, calls
searchidx.Index and hands the result to output/.

Exit codes follow grep: 0 results, 1 no results, 2 usage error, bad query or
unusable index. Errors are one line on stderr, never a traceback; 3 is a bug
(SEARCHIDX_DEBUG=1 shows its traceback)."""
from __future__ import annotations

import gc
import os
import sys

import click

from .. import __version__


def _complete_index(ctx, param, incomplete):
    """--index completes to folders."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="dir")]


INDEX_OPTION = click.option(
    "--index", "index_path", envvar="SEARCHIDX_INDEX", default="index", show_default=True,
    metavar="DIR", type=click.Path(file_okay=False), shell_complete=_complete_index,
    help="Index folder (also from $SEARCHIDX_INDEX).")


def use_color(flag: bool | None, stream=None) -> bool:
    """--color/--no-color, else a colour terminal without NO_COLOR (TERM=dumb has none)."""
    if flag is not None:
        return flag
    return (terminal(stream or sys.stdout) and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def terminal(stream) -> bool:
    return stream is not None and stream.isatty()  # (None: started with the stream closed)


def notice(message: str) -> None:
    """A message for the person, never among the data: on stderr (on a
    terminal, wrapped to its width)."""
    if terminal(sys.stderr):
        from ..output.text import width, wrap

        message = "\n".join(wrap(message, [], width(sys.stderr), False))
    click.echo(message, err=True)


def tell(suggestion: str | None, notes, found: bool, query: str, label: str = "") -> None:
    """What a person must know of a query's answer, on stderr: its
    correction, its notes, and that it found nothing."""
    if suggestion:
        notice(f"Showing results for: {suggestion}{label}")
    for n in notes:
        notice(f"note: {n}")
    if not found:
        notice(f"no results for {query!r}")


def fail(message: str, code: int = 2):
    click.echo(f"searchidx: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchidx")
def cli():
    """Full-text search for German news archives.

    \b
    Examples:
      searchidx index                      # index ./corpus into ./index
      searchidx search Putin Kim Raketen
      searchidx search 'author:Hartwich "Hand in Hand"' --format json
      searchidx show 000_9c68a855770dcd16
      searchidx trend Klimawandel Energiewende --by year
      searchidx kwic Raketen
    """


QUERY_COMMANDS = ("search", "trend", "kwic")


def main():
    from ..errors import SearchidxError

    # A command keeps large tables and caches for its short life: young
    # collections every 10,000 allocations instead of 700.
    gc.set_threshold(10_000, 10, 10)
    try:
        cli.main(standalone_mode=False, prog_name="searchidx")
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.NoSuchOption as e:
        message = e.format_message()
        if e.ctx is not None and e.ctx.command.name in QUERY_COMMANDS:
            # `searchidx search Kim -Moskau`: the shell passes -Moskau as an option
            message += (" A query word with '-' excludes it: quote the query "
                        "('Kim -Moskau'), or put -- between the options and the query")
        fail(message, 2)
    except click.ClickException as e:
        fail(e.format_message(), 2)
    except click.exceptions.Abort as e:
        # click turns an EOFError raised inside a command into Abort as well.
        if isinstance(e.__cause__, EOFError):
            fail("unexpected end of a file (a damaged index? run `searchidx index --rebuild`)")
        fail("aborted", 130)
    except SearchidxError as e:
        fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as e:
        fail(f"{e.filename + ': ' if e.filename else ''}{e.strerror}" if e.strerror else str(e))
    except Exception as e:  # never a traceback for a user; SEARCHIDX_DEBUG shows it
        if os.environ.get("SEARCHIDX_DEBUG"):
            raise
        fail(f"internal error: {type(e).__name__}: {e} (set SEARCHIDX_DEBUG=1 for details)", 3)


def run():
    """The `searchidx` command: main(), then an exit without the interpreter's
    teardown, which would free a search's tables and caches one object at a
    time. Every file is closed by then; the output still buffered is flushed."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    except BaseException:  # (SEARCHIDX_DEBUG): the traceback, as Python prints it
        import traceback

        traceback.print_exc()
        code = 1
    if code is not None and not isinstance(code, int):
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(code or 0)


# the subcommands (each module adds its own to `cli`)
from . import index, kwic, search, show, stats, trend, verify  # noqa: E402,F401
