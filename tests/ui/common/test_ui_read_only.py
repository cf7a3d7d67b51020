"""The full-screen app on a read-only data folder starts, shows the data, says once that it
is read-only, and refuses a write in words inside the form, keeping what was typed. Real
file modes, so run as a user they apply to (support/unprivileged.py); Pilot drives the app in
that process (read_only_app.py) and reports what was shown."""

from __future__ import annotations

import json
import os
from pathlib import Path

from promptterm.services.facade import Services
from support import unprivileged

SCRIPT = Path(__file__).with_name("read_only_app.py")
READ_ONLY = "The data folder is read-only:"


def test_the_app_on_a_read_only_data_folder_shows_data_and_refuses_writes(
    tmp_path: Path,
) -> None:
    who = unprivileged.account()
    with unprivileged.own_folder(who, tmp_path) as home:
        folder = home / "data"
        folder.mkdir(mode=0o700)
        database = folder / "promptterm.db"
        services = Services.open(f"sqlite:///{database}")
        try:
            services.workspaces.create("Acme")
        finally:
            services.close()
        unprivileged.chown_tree(who, home)
        os.chmod(database, 0o400)
        os.chmod(folder, 0o500)

        done = unprivileged.run_python(who, [str(SCRIPT), f"sqlite:///{database}"], home=home)

    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["tree"][0].startswith("Acme")
    assert any(note.startswith(READ_ONLY) for note in seen["notes"])  # said once, at start
    assert seen["form_error"].startswith(READ_ONLY)
    assert seen["form_open"] is True and seen["typed"] == "Beta" and seen["running"] is True
