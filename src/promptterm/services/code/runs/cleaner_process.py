"""The process between a run and the app that cleans its output: ``python -m`` this module.

Cleaning is regex work over every byte a program prints, and in the app's process it held
the GIL the screen needs to echo keys: at 50 MB/s, longer than the output took to come. So
the runner starts this process on the program's output pipe. It decodes, cleans (colours
kept, every other control removed), masks the secret values, writes the full result to the
log the runner opened (an inherited descriptor), and passes it on, as UTF-8, on its
standard output; the app's reading thread only keeps the last lines. Last, it writes the
count of bytes the program printed on its standard error.

It imports the standard library and ``output.py`` only, so it starts in tens of
milliseconds; the program's first output waits in the pipe meanwhile. It has a session of its
own: a Ctrl+C in the terminal of a CLI run reaches neither it nor the program (the CLI kills
the run). If the app goes away, its next write fails and it ends, and the program, writing
to a pipe no one reads, gets SIGPIPE.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Sequence

from promptterm.services.code.runs.output import OutputCleaner, SecretMasker

MODULE = "promptterm.services.code.runs.cleaner_process"
# The secret values, a JSON list: in the environment, which only the user can read (as the
# program's own), never in the arguments, which every user can.
SECRETS_VARIABLE = "PROMPTTERM_RUN_SECRETS"
READ_CHUNK = 1024 * 1024
BYTES_PREFIX = "bytes "


def clean_stream(source: int, target: int, log: int | None, secrets: Sequence[str]) -> int:
    """Clean everything ``source`` gives until its end into ``target`` (and ``log``); the
    number of bytes read."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    cleaner = OutputCleaner()
    masker = SecretMasker(secrets)
    total = 0
    while True:
        chunk = os.read(source, READ_CHUNK)
        total += len(chunk)
        final = not chunk
        text = decoder.decode(chunk, final=final)
        text = cleaner.feed(text) + (cleaner.close() if final else "")
        text = masker.feed(text) + (masker.close() if final else "")
        if text:
            data = text.encode("utf-8")
            if log is not None:
                _write_all(log, data)
            _write_all(target, data)
        if final:
            return total


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main(argv: Sequence[str]) -> int:
    log = int(argv[0]) if argv and argv[0] else None
    secrets = json.loads(os.environ.get(SECRETS_VARIABLE, "[]"))
    try:
        total = clean_stream(0, 1, log, secrets)
    except BrokenPipeError:
        return 1  # the app is gone: nothing reads the output any more
    finally:
        if log is not None:
            os.close(log)
    os.write(2, f"{BYTES_PREFIX}{total}\n".encode("ascii"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
