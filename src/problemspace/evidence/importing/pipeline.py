"""Reading and validating a file in a second process while this one writes to the database.

Parsing and validating rows is pure Python, and so is most of writing them; in one process
the two take turns on one core. Forking a reader puts them on two cores, which is what takes a
million-row import past 20,000 rows a second on a two-core machine. (A reader *thread* made it
slower: the database driver releases the interpreter lock around every row, and the reader
thread then holds it for its whole time slice.)

The reader sends batches of validated rows through a pipe, which blocks when full, so at most a
couple of batches are in flight and memory stays bounded. When it finishes it sends back what it
learnt about the file (rows read, errors, columns), which is merged into the caller's report.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterator

from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.importing.readers import ByteCounter
from problemspace.evidence.importing.report import ImportReport
from problemspace.evidence.importing.rows import Row

# What the reader learns about the file and hands back to the writer's report.
_REPORT_FIELDS = (
    "rows",
    "error_count",
    "errors",
    "errors_by_field",
    "columns",
    "ignored_columns",
    "score_scale",
    "delimiter",
    "skipped",
    "channels_read_as",
    "unknown_members",
    "team_as_contact",
)


def read_in_child(
    batches: Iterator[list[Row]], report: ImportReport, counter: ByteCounter
) -> Iterator[tuple[list[Row], int]]:
    """Yield (batch, bytes of the file read so far) from `batches`, run in a forked process.

    `batches` must only read the file and validate: the child must never touch the database
    connection it inherits. Where fork is unavailable, the batches are read here instead.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        for batch in batches:
            yield batch, counter.bytes_read
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def work() -> None:
        receiver.close()
        try:
            for batch in batches:
                sender.send(("batch", batch, counter.bytes_read))
            if report.error_sink is not None:
                report.error_sink.flush()
            state = {name: getattr(report, name) for name in _REPORT_FIELDS}
            sender.send(("done", state, counter.bytes_read))
        except BaseException as exc:  # handed to the parent, which decides
            sender.send(("error", _picklable(exc), 0))
        finally:
            sender.close()

    # The child leaves with os._exit (multiprocessing's fork start): it runs no clean-up that
    # could close the database connection the parent is still using.
    child = context.Process(target=work, name="problemspace-import-reader", daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload, done = receiver.recv()
            except EOFError:
                raise ImportFileError(
                    "Reading the file stopped unexpectedly (the reader process ended); "
                    "nothing was imported."
                ) from None
            if kind == "batch":
                yield payload, done
            elif kind == "done":
                for name, value in payload.items():
                    setattr(report, name, value)
                return
            else:
                raise payload
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
