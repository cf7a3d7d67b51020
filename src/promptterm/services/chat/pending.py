"""Whether a start has answers to close, asked in one query before the recovery (and the
send stack it needs: providers, pricing) is loaded: most starts have none, and a command
then loads only its own domain."""

from __future__ import annotations

from sqlmodel import col, select

from promptterm.db.models import Conversation, Message
from promptterm.services.context import ServiceContext


def has_interrupted_answers(ctx: ServiceContext) -> bool:
    """Any of the user's answers left "streaming" (what ``recover_interrupted`` looks at)."""
    query = (
        select(Message.id)
        .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
        .where(Conversation.user_id == ctx.user_id, Message.status == "streaming")
        .limit(1)
    )
    with ctx.db.session() as session:
        return session.exec(query).first() is not None
