"""The fish completion script: one ``complete`` line per subcommand, option and argument,
each guarded by where on the command line the cursor is (``__promptterm_at``)."""

from __future__ import annotations

from promptterm.cli.completion.tree import Command, Value

_HEAD = r"""# promptterm completion for fish. Save it where fish looks:
#     promptterm completion fish > ~/.config/fish/completions/promptterm.fish

function __promptterm_state --description 'the promptterm command typed so far'
    # Prints "=COMMAND", how many positionals it has so far, and the line's --database-url.
    set -l path ''
    set -l count 0
    set -l expect ''
    set -l database ''
    for word in (commandline -opc)[2..-1]
        if test -n "$expect"
            test "$expect" = --database-url; and set database $word
            set expect ''
            continue
        end
        switch $word
            case '--database-url=*'
                set database (string replace -- '--database-url=' '' $word)
                continue
            case '--*=*'
                continue
            case '-*'
                contains -- "$path|$word" $__promptterm_valued; and set expect $word
                continue
        end
        if contains -- "$path|$word" $__promptterm_subs
            set path (string trim -- "$path $word")
            set count 0
        else
            set count (math $count + 1)
        end
    end
    printf '%s\n' "=$path" $count "=$database"
end

function __promptterm_at --argument-names want index
    # True when the cursor is in command WANT (at its positional INDEX, or INDEX+ onwards).
    set -l state (__promptterm_state)
    test "$state[1]" = "=$want"; or return 1
    switch "$index"
        case ''
            return 0
        case '*+'
            test $state[2] -ge (string trim -r -c + -- $index)
        case '*'
            test $state[2] -eq $index
    end
end

function __promptterm_names --argument-names kind
    set -l state (__promptterm_state)
    set -l database (string sub -s 2 -- $state[3])
    set -l program (commandline -opc)[1]
    if test -n "$database"
        $program --database-url $database __complete $kind 2>/dev/null
    else
        $program __complete $kind 2>/dev/null
    end
end

complete -c promptterm -f
"""


def script(tree: list[Command]) -> str:
    subs = [f"{' '.join(c.path)}|{name}" for c in tree for name, _ in c.subcommands]
    valued = [
        f"{' '.join(c.path)}|{flag}" for c in tree for o in c.options if o.value for flag in o.flags
    ]
    lines = [
        _HEAD,
        "set -g __promptterm_subs " + " ".join(_q(s) for s in subs),
        "set -g __promptterm_valued " + " ".join(_q(v) for v in valued),
        "",
    ]
    for command in tree:
        where = _q(" ".join(command.path))
        for name, about in command.subcommands:
            about = f" -d {_q(about)}" if about else ""
            lines.append(
                f'complete -c promptterm -n "__promptterm_at {where}" -a {_q(name)}{about}'
            )
        for option in command.options:
            flags = " ".join(
                f"-l {_q(f[2:])}" if f.startswith("--") else f"-s {_q(f[1:])}" for f in option.flags
            )
            takes = _argument(option.value, option=True) if option.value else ""
            about = f" -d {_q(option.help)}" if option.help else ""
            lines.append(
                f'complete -c promptterm -n "__promptterm_at {where}" {flags}{takes}{about}'
            )
        for index, positional in enumerate(command.positionals):
            takes = _argument(positional.value, option=False)
            if takes:
                at = f"{index}+" if positional.repeats else str(index)
                lines.append(f'complete -c promptterm -n "__promptterm_at {where} {at}"{takes}')
    return "\n".join(lines) + "\n"


def _argument(value: Value, *, option: bool) -> str:
    """The flags of a ``complete`` line that offer ``value``."""
    if value.words:
        return " -x -a " + _q(" ".join(value.words))
    if value.kind == "file":
        return " -r -F" if option else " -F"
    if value.kind == "dir":
        return " -x -a '(__fish_complete_directories)'"
    if value.kind:
        return f" -x -a '(__promptterm_names {value.kind})'"
    return " -x" if option else ""


def _q(text: str) -> str:
    """A fish single-quoted string (only \\ and ' are special inside)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
