"""Objects made to last the session (modules, classes, the screens built so far) kept out of
the cyclic garbage collector's full passes.

A full pass walks every object the interpreter tracks. After start-up that is hundreds of
thousands (Textual, SQLAlchemy, every area's modules), nearly all of them alive until the
app quits; and a pass comes whenever enough new long-lived objects pile up, which building
an area's screen does. Measured on the plan area's first open: a full pass there took more
time than building the screen. Frozen objects are skipped by every later pass; what is made
afterwards is collected as before. The price is that a cycle among frozen objects that
becomes garbage stays until the app quits, which is why only the start-up's own objects are
frozen (after its first frame, and once the services are open), not per screen or dialog.

The young generation is collected in larger batches than Python's default. A frame makes
thousands of short-lived tracked objects (a segment is a tuple); collected every 700 of them,
a streaming answer's frames were caught half-made six times a second, and what a pass found
alive (the frame's own objects, freed a moment later) went to the middle generation, whose
passes walked it again. Per 20-second answer at 100 tokens a second that was 85 to 160 ms of
collection, with a full pass of 53 ms in some; every 10,000 objects it is 44 to 55 ms, with
no pass in the middle or full generation (gc callbacks, two runs of each in the real app).
"""

from __future__ import annotations

import gc

YOUNG_BATCH = 10_000  # new tracked objects between two collections of the youngest ones


def keep_out_of_collections() -> None:
    """Everything alive now is left out of later collections (see the module's words)."""
    gc.freeze()


def collect_young_in_batches() -> None:
    """The youngest objects are collected every ``YOUNG_BATCH`` of them (see above)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_BATCH, middle, oldest)
