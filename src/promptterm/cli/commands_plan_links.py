"""`promptterm task|bug|feature show|link|unlink`: one card with its links, and links from a
card to another card of the project's board (relates, blocks, duplicates), to a file of the
project (``--file PATH``) or to one of the user's threads (``--thread ID``), from a script.

The first card is of the command's kind; the other may be any card of the board. Refusals
(a card to itself, a card of another project, two cards linked twice) are the services'.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table
from promptterm.db.vocab import PLAN_LINK_RELATIONS
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.plan import PlanCard, PlanLinkInfo

RELATIONS = ", ".join(PLAN_LINK_RELATIONS)


def register_links(sub: Any, parents: list[argparse.ArgumentParser], kind: str) -> None:
    show = sub.add_parser("show", parents=parents, help=f"one {kind}, every field and its links")
    show.add_argument("card", metavar="ID_OR_TITLE")
    show.set_defaults(handler=card_show)

    link = sub.add_parser(
        "link", parents=parents, help=f"link a {kind} to another card, a file or a thread"
    )
    link.add_argument("card", metavar="ID_OR_TITLE")
    _targets(link, "the other card (any kind): id or title")
    link.add_argument(
        "--kind", "-k", dest="relation", default="relates", help=f"{RELATIONS} (default relates)"
    )
    link.set_defaults(handler=card_link)

    unlink = sub.add_parser(
        "unlink", parents=parents, help=f"remove a {kind}'s link to a card, a file or a thread"
    )
    unlink.add_argument("card", metavar="ID_OR_TITLE")
    _targets(unlink, "the other card: id or title")
    unlink.set_defaults(handler=card_unlink)


def _targets(parser: argparse.ArgumentParser, card_help: str) -> None:
    parser.add_argument("other", metavar="OTHER", nargs="?", help=card_help)
    parser.add_argument("--file", metavar="PATH", help="a file of the project instead of a card")
    parser.add_argument(
        "--thread", metavar="ID", help="one of your threads instead of a card: its id or prefix"
    )


def card_show(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_plan import card_of

    card = card_of(services, args)
    links = services.plan_links.links(card.id)

    def human() -> None:
        print(f"{card.kind} {card.short_id}  {card.name}")
        print(f"  status {card.status} · place {card.position + 1} · priority {card.priority}")
        if card.description:
            print(f"  {card.description}")
        for field in ("bug_url", "screenshot_url"):
            if getattr(card, field):
                print(f"  {field.replace('_', ' ')}: {getattr(card, field)}")
        rows = [(x.words, x.target_id.hex[-8:], _to(x)) for x in links]
        table(("LINK", "ID", "TO"), rows, empty="(no links)")

    emit(args.json, {"card": card, "links": [_link_json(x) for x in links]}, human)
    return 0


def card_link(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_plan import card_of

    kind = _target_kind(args)
    card = card_of(services, args)
    if kind == "card":
        other = services.plan.find(card.project_id, args.other)
        link = services.plan_links.link(card.id, card_id=other.id, relation=args.relation)
        words = f"Linked {_said(card)}: {link.words} {_said(other)}."
    else:
        target = _target_id(services, card, kind, args)
        ids = {f"{kind}_id": target}
        link = services.plan_links.link(card.id, relation=args.relation, **ids)
        words = f"Linked {_said(card)} to the {kind} {link.title!r}."
    emit(args.json, _link_json(link), lambda: print(words))
    return 0


def card_unlink(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_plan import card_of

    kind = _target_kind(args)
    card = card_of(services, args)
    if kind == "card":
        other = services.plan.find(card.project_id, args.other)
        gone = services.plan_links.unlink_cards(card.id, other.id)
        words = f"Removed the link between {_said(card)} and {_said(other)}."
    else:
        target = _target_id(services, card, kind, args)
        gone = services.plan_links.unlink_target(card.id, **{f"{kind}_id": target})
        words = f"Removed {_said(card)}'s link to the {kind} {gone.title!r}."
    emit(args.json, {"unlinked": _link_json(gone)}, lambda: print(words))
    return 0


def _target_kind(args: argparse.Namespace) -> str:
    named = (("card", args.other), ("file", args.file), ("thread", args.thread))
    given = [kind for kind, value in named if value]
    if len(given) != 1:
        raise ValidationError(
            "Name one target: another card (OTHER), --file PATH or --thread ID.", "target"
        )
    return given[0]


def _target_id(services: Services, card: PlanCard, kind: str, args: argparse.Namespace) -> Any:
    if kind == "file":
        return services.files.find(card.project_id, args.file).id
    from promptterm.cli.commands_threads import find_thread

    return find_thread(services, args.thread).id


def _link_json(link: PlanLinkInfo) -> dict[str, Any]:
    return {
        "id": str(link.id),
        "card_id": str(link.item_id),
        "target_kind": link.target_kind,
        "target_id": str(link.target_id),
        "title": link.title,
        "relation": link.relation,
        "incoming": link.incoming,
        "words": link.words,
        "gone": link.gone,
    }


def _to(link: PlanLinkInfo) -> str:
    title = link.title or "(hidden)"
    return f"{title} (deleted)" if link.gone else title


def _said(card: PlanCard) -> str:
    return f"{card.kind} {card.short_id} {card.name!r}"
