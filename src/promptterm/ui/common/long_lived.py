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
"""

from __future__ import annotations

import gc


def keep_out_of_collections() -> None:
    """Everything alive now is left out of later collections (see the module's words)."""
    gc.freeze()
