"""The zsh completion script: the bash one, run by zsh's own bash-completion layer
(bashcompinit), so both shells share one tested walker over the command line."""

from __future__ import annotations

from promptterm.cli.completion import bash
from promptterm.cli.completion.tree import Command

_HEAD = """\
# promptterm completion for zsh. Load it from ~/.zshrc, after compinit:
#     eval "$(promptterm completion zsh)"
autoload -U +X bashcompinit && bashcompinit
"""


def script(tree: list[Command]) -> str:
    return _HEAD + bash.functions(tree)
