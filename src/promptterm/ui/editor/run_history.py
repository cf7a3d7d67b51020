"""The project's run history in the editor (alt+h): search past runs, read what they printed,
run one again with enter (ui/editor/dialogs/run_history.py)."""

from __future__ import annotations

import uuid

from promptterm.ui.editor.git_views import EditorGit


class EditorRunHistory(EditorGit):
    def action_run_history(self) -> None:
        from promptterm.ui.editor.dialogs.run_history import RunHistoryScreen

        project = self.project
        if project is None:
            return
        runs = self.services.runs
        project_id = project.id

        def chosen(run_id: uuid.UUID | None) -> None:
            if run_id is None:
                return
            if not self.can_run:
                self.notify(
                    "Runs need a project bound to a folder, and a member's role in it.",
                    title="Not run",
                    severity="warning",
                )
            elif self.run_going:
                self.notify(
                    "A run is still going: kill it (alt+k) or wait, then run this one again.",
                    title="Not run",
                    severity="warning",
                )
            else:
                self._start(again=run_id)

        self.app.push_screen(
            RunHistoryScreen(
                project.name,
                lambda query: runs.history(project_id, query),
                runs.output,
                self.now,
            ),
            chosen,
        )
