"""`promptterm open PATH` and `promptterm file list|show|history|diff|restore`.

Inside a bound directory the project is found from the current folder, and file paths may
be given as paths on disk (relative to the current folder) or as project paths.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli import colour
from promptterm.cli.hyperlinks import Link, file_url, write_parts
from promptterm.cli.output import emit, print_json, table, when
from promptterm.services.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.files.disk.events import SyncReport
    from promptterm.services.files.models import FileInfo
    from promptterm.services.workspaces.projects import ProjectInfo


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")

    op = commands.add_parser(
        "open", parents=[as_json], help="bind a directory to a project, import it, open it"
    )
    op.add_argument("path", help="the directory")
    op.add_argument("--workspace", "-w", help="workspace slug or name (default: most recent)")
    op.add_argument("--project", "-p", help="project name (default: the directory's name)")
    op.add_argument("--no-ui", action="store_true", help="import and print a summary only")
    op.add_argument("--max-size", type=int, metavar="BYTES", help="skip files over this size")
    op.set_defaults(handler=open_directory)

    file = commands.add_parser("file", help="a project's files and their versions")
    sub = file.add_subparsers(dest="file_command", metavar="ACTION", required=True)
    flist = sub.add_parser("list", parents=[as_json, where], help="files of a project")
    flist.add_argument("--deleted", action="store_true", help="include the trash")
    flist.set_defaults(handler=file_list)
    show = sub.add_parser("show", parents=[as_json, where], help="print a file's text")
    show.add_argument("path")
    show.add_argument("--version", "-v", type=int, help="this version (default: newest)")
    show.set_defaults(handler=file_show)
    hist = sub.add_parser("history", parents=[as_json, where], help="a file's versions")
    hist.add_argument("path")
    hist.set_defaults(handler=file_history)
    diff = sub.add_parser("diff", parents=[as_json, where], help="compare two versions")
    diff.add_argument("path")
    diff.add_argument("old", type=int)
    diff.add_argument("new", type=int, nargs="?", help="default: the newest version")
    diff.add_argument(
        "--side-by-side", "-s", action="store_true", help="two columns instead of a unified diff"
    )
    diff.add_argument("--context", "-U", type=int, default=3, help="unchanged lines shown")
    diff.set_defaults(handler=file_diff)
    restore = sub.add_parser(
        "restore", parents=[as_json, where], help="bring back a version as a new one"
    )
    restore.add_argument("path")
    restore.add_argument("version", type=int, nargs="?", help="(not needed with --undelete)")
    restore.add_argument("--undelete", action="store_true", help="take it out of the trash")
    restore.set_defaults(handler=file_restore)


# -- open ----------------------------------------------------------------------------------


def open_directory(services: Services, args: argparse.Namespace) -> int:
    root = Path(args.path).expanduser().resolve()
    if not root.is_dir():
        raise ValidationError(f"{args.path} is not a folder.", "path")
    if args.max_size:
        services.disk_sync.max_file_bytes = services.files.max_file_bytes = args.max_size
    project = _project_for(services, root, args)
    if project.root_path == str(root):
        report = services.disk_sync.scan(project.id)
    else:
        report = services.disk_sync.bind(project.id, root)
    project = services.projects.open(project.id)
    if args.json:
        print_json({"project": project, **_report_data(report)})
    else:
        _print_report(project, report)
    if args.no_ui or args.json:
        return 0
    # The app opens on this project in the editor (with its editor session: tabs, cursor),
    # on the services already open, and watches the folder while the editor shows it.
    from promptterm.cli.main import run_app
    from promptterm.config import load_settings

    settings = load_settings(args.database_url)
    return run_app(settings, services=services, project=project, notices=report.recovered)


def _project_for(services: Services, root: Path, args: argparse.Namespace) -> ProjectInfo:
    bound = services.disk_sync.find_bound(root)
    if bound is not None and not args.project:
        return services.projects.get(bound)
    ws = services.workspaces.get(args.workspace) if args.workspace else _default_workspace(services)
    name = args.project or root.name
    try:
        project = services.projects.find(name, str(ws.id))
    except NotFound:
        return services.projects.create(ws.id, name)
    if project.root_path in (None, str(root)):
        return project
    if args.project:
        raise ValidationError(
            f"The project {name!r} is bound to {project.root_path}; choose another --project.",
            "project",
        )
    taken = {p.name for p in services.projects.list(ws.id)}
    free = next(f"{name} {n}" for n in range(2, 1000) if f"{name} {n}" not in taken)
    return services.projects.create(ws.id, free)


def _default_workspace(services: Services) -> Any:
    workspaces = services.workspaces.list()
    return workspaces[0] if workspaces else services.workspaces.create("Personal")


def _report_data(report: SyncReport) -> dict[str, Any]:
    return {
        "root": report.root,
        "imported": report.imported,
        "changed": report.changed,
        "deleted": report.deleted,
        "renamed": report.renamed,
        "written": report.written,
        "recovered": report.recovered,
        "skipped": list(report.skipped),
        "ignored": report.ignored,
        "conflicts": [c.message for c in report.conflicts],
        "problems": report.problems,
    }


def _print_report(project: ProjectInfo, report: SyncReport) -> None:
    root = Link(report.root, file_url(report.root))
    write_parts([f"{project.workspace_name}/{project.slug} is bound to ", root])
    counts = [
        (len(report.imported), "imported"),
        (len(report.changed), "changed on disk"),
        (len(report.deleted), "deleted on disk"),
        (len(report.renamed), "renamed on disk"),
        (len(report.written), "written to disk"),
    ]
    summary = ", ".join(f"{n} {what}" for n, what in counts if n) or "everything up to date"
    print(f"Files: {summary}.")
    skipped = report.skipped
    if skipped:
        by_reason: dict[str, int] = {}
        for item in skipped:
            by_reason[item.reason] = by_reason.get(item.reason, 0) + 1
        labels = {"too_large": "too large", "undecodable": "invalid UTF-8"}
        parts = ", ".join(f"{n} {labels.get(r, r)}" for r, n in sorted(by_reason.items()))
        print(f"Skipped {len(skipped)} ({parts}):")
        for item in skipped:
            place = Link(item.path, file_url(Path(report.root) / item.path))
            write_parts(["  ", place, f": {item.detail or item.reason}"])
    print(f"Ignored {report.ignored} (version control, dependencies, caches, .gitignore).")
    for message in report.recovered + [c.message for c in report.conflicts] + report.problems:
        print(f"! {message}")


# -- file ----------------------------------------------------------------------------------


def file_list(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    items = services.files.list_files(project.id, include_deleted=args.deleted)
    emit(
        args.json,
        items,
        lambda: table(
            ("PATH", "VERSION", "SIZE", "STATE", "UPDATED"),
            [
                (
                    _path_cell(project, f),
                    f.head_version or "-",
                    f.size_bytes,
                    f.content_state if not f.sync_error else "not on disk",
                    when(f.updated_at),
                )
                for f in items
            ],
            empty="No files yet.",
        ),
    )
    return 0


def _path_cell(project: ProjectInfo, file: FileInfo) -> str | Link:
    """The path, a link to the file on disk when the project is bound to a folder."""
    if file.is_deleted:
        return f"{file.path} (deleted)"
    if project.root_path is None or file.sync_error:
        return file.path
    return Link(file.path, file_url(Path(project.root_path) / file.path))


def file_show(services: Services, args: argparse.Namespace) -> int:
    file = _file(services, args)
    content = services.files.read(file.id, args.version)
    emit(args.json, content, lambda: print(content.text, end=""))
    return 0


def file_history(services: Services, args: argparse.Namespace) -> int:
    file = _file(services, args)
    items = services.files.versions(file.id)
    emit(
        args.json,
        items,
        lambda: table(
            ("VERSION", "WHEN", "AUTHOR", "SIZE", "MESSAGE"),
            [(v.number, when(v.created_at), v.author, v.size_bytes, v.message) for v in items],
        ),
    )
    return 0


def file_diff(services: Services, args: argparse.Namespace) -> int:
    file = _file(services, args)
    new = args.new or file.head_version
    if args.side_by_side:
        result = services.files.side_by_side(file.id, args.old, new, context=args.context)
        emit(args.json, result, lambda: _print_side_by_side(result.rows))
        return 0
    text = services.files.diff(file.id, args.old, new, context=args.context)
    emit(args.json, {"old": args.old, "new": new, "diff": text}, lambda: colour.print_diff(text))
    return 0


def file_restore(services: Services, args: argparse.Namespace) -> int:
    file = _file(services, args)
    if args.undelete:
        info = services.files.undelete(file.id)
        emit(args.json, info, lambda: print(f"Restored {info.path} from the trash."))
        return 0
    if args.version is None:
        raise ValidationError("Say which version to restore.", "version")
    version = services.files.restore(file.id, args.version, base_version=file.head_version)
    emit(
        args.json,
        version,
        lambda: print(
            f"{file.path}: version {args.version} restored as version {version.number}."
            + (f"\n! {version.disk_error}" if version.disk_error else "")
        ),
    )
    return 0


def _print_side_by_side(rows: Any) -> None:
    width = max(20, (os.get_terminal_size(1).columns if os.isatty(1) else 120) // 2 - 8)
    marks = {"equal": " ", "change": "|", "delete": "<", "insert": ">"}
    for row in rows:
        if row.kind == "skip":
            print(f"{'':>5} ... {row.skipped} unchanged lines ...")
            continue
        left = f"{row.left_no or '':>5} {(row.left or '')[:width]:<{width}}"
        print(f"{left} {marks[row.kind]} {row.right_no or '':>5} {(row.right or '')[:width]}")


def _project(services: Services, args: argparse.Namespace) -> ProjectInfo:
    if args.project:
        ws = services.workspaces.get(args.workspace) if args.workspace else None
        return services.projects.find(args.project, str(ws.id) if ws else None)
    bound = services.disk_sync.find_bound_above(Path.cwd())
    if bound is not None:
        return services.projects.get(bound)
    raise ValidationError(
        "Which project? Give --project NAME, or run this inside a folder opened with "
        "`promptterm open`.",
        "project",
    )


def _file(services: Services, args: argparse.Namespace) -> FileInfo:
    project = _project(services, args)
    path = args.path
    if project.root_path:
        on_disk = Path(path).expanduser().resolve()
        root = Path(project.root_path)
        if on_disk.is_relative_to(root) and on_disk != root:
            path = on_disk.relative_to(root).as_posix()
    try:
        return services.files.find(project.id, path)
    except NotFound:
        if path != args.path:
            return services.files.find(project.id, args.path)
        raise
