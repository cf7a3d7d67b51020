"""The bash completion script (zsh loads the same one through its bash layer).

Subcommands and options are written into the script, so they complete without starting
Python; names from the database (workspaces, presets, threads...) come from
``promptterm __complete KIND``, run by the same ``promptterm`` the user is typing, with the
line's ``--database-url`` if it has one.
"""

from __future__ import annotations

import shlex

from promptterm.cli.completion.tree import Command, Value

_HEAD = """\
# promptterm completion for bash. Load it from ~/.bashrc:
#     eval "$(promptterm completion bash)"
# or save it where bash-completion looks:
#     promptterm completion bash > ~/.local/share/bash-completion/completions/promptterm
"""

_MAIN = r"""
_promptterm_reply() {
    [[ -n "${ZSH_VERSION-}" ]] && setopt localoptions ksharrays shwordsplit
    # $1: what to offer ("words A B", "names KIND", "file", "dir" or nothing), $2: the word
    # so far, $3: the program, $4: a --database-url from the line (or nothing).
    local what="$1" cur="$2" word name
    local -a found=()
    case "${what%% *}" in
        words)
            for word in ${what#words }; do
                [[ "$word" == "$cur"* ]] && found+=("$word")
            done
            ;;
        names)
            while IFS=$'\t' read -r name _; do
                if [[ -n "$name" && "$name" == "$cur"* ]]; then
                    printf -v word '%q' "$name"
                    found+=("$word")
                fi
            done < <("$3" ${4:+--database-url "$4"} __complete "${what#names }" 2>/dev/null)
            ;;
        file) compopt -o default 2>/dev/null ;;
        dir) compopt -o dirnames 2>/dev/null ;;
    esac
    COMPREPLY=("${found[@]}")
}

_promptterm() {
    # zsh (bashcompinit) runs this too: its arrays must count from 0 as bash's do.
    [[ -n "${ZSH_VERSION-}" ]] && setopt localoptions ksharrays
    # (Never a variable named "path": zsh ties it to $PATH, and `promptterm` would vanish.)
    local cur="${COMP_WORDS[COMP_CWORD]}" here="" word option="" database="" i n=0 expect=0
    local subs opts valued
    _promptterm_node ""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        # bash splits --option=value at the "=" (COMP_WORDBREAKS): the value follows it.
        [[ "$word" == "=" ]] && continue
        if ((expect)); then
            expect=0
            [[ "$option" == "--database-url" ]] && database="$word"
            continue
        fi
        case "$word" in
            --*=*) [[ "${word%%=*}" == "--database-url" ]] && database="${word#*=}"; continue ;;
            -*) [[ "$valued" == *" $word "* ]] && expect=1 && option="$word"; continue ;;
        esac
        if [[ " $subs " == *" $word "* ]]; then
            here="${here:+$here }$word"
            n=0
            _promptterm_node "$here"
        else
            n=$((n + 1))
        fi
    done
    [[ "$cur" == "=" ]] && cur=""
    local what=""
    if ((expect)); then
        what="$(_promptterm_value "$here" "$option")"
    elif [[ "$cur" == --*=* ]]; then
        what="$(_promptterm_value "$here" "${cur%%=*}")"
        cur="${cur#*=}"
    elif [[ "$cur" == -* ]]; then
        what="words $opts"
    elif [[ -n "$subs" ]]; then
        what="words $subs"
    else
        what="$(_promptterm_value "$here" "#$n")"
    fi
    _promptterm_reply "$what" "$cur" "${COMP_WORDS[0]}" "$database"
}

complete -F _promptterm promptterm
"""


def script(tree: list[Command]) -> str:
    return _HEAD + functions(tree)


def functions(tree: list[Command]) -> str:
    """The script without its opening comment (zsh's has its own)."""
    return _node_function(tree) + _value_function(tree) + _MAIN


def _node_function(tree: list[Command]) -> str:
    lines = [
        "",
        "_promptterm_node() {",
        "    # $1: a command; sets its subcommands, options and the options that take a value.",
        '    case "$1" in',
    ]
    for command in tree:
        flags = [f for option in command.options for f in option.flags]
        valued = [f for option in command.options if option.value for f in option.flags]
        lines += [
            f"        {_q(' '.join(command.path))})",
            f"            subs={_q(' '.join(name for name, _ in command.subcommands))}",
            f"            opts={_q(' '.join(flags))}",
            f"            valued={_q(' ' + ' '.join(valued) + ' ')}",
            "            ;;",
        ]
    lines += ['        *) subs="" opts="--help" valued=" " ;;', "    esac", "}", ""]
    return "\n".join(lines)


def _value_function(tree: list[Command]) -> str:
    lines = [
        "_promptterm_value() {",
        '    # $1: a command, $2: one of its options or "#N", its Nth positional (from 0).',
        '    case "$1|$2" in',
    ]
    for command in tree:
        where = " ".join(command.path)
        for option in command.options:
            offer = _offer(option.value) if option.value else ""
            if offer:
                labels = "|".join(_q(f"{where}|{flag}") for flag in option.flags)
                lines.append(f"        {labels}) echo {_q(offer)} ;;")
        for index, positional in enumerate(command.positionals):
            offer = _offer(positional.value)
            if offer:
                # A repeating positional takes every later word: "#1", "#2"... all match.
                label = _q(f"{where}|#") + ("*" if positional.repeats else str(index))
                lines.append(f"        {label}) echo {_q(offer)} ;;")
    lines += ["    esac", "}"]
    return "\n".join(lines)


def _offer(value: Value) -> str:
    if value.words:
        return "words " + " ".join(value.words)
    if value.kind in ("file", "dir"):
        return value.kind
    if value.kind:
        return f"names {value.kind}"
    return ""


def _q(text: str) -> str:
    # Always quoted (the empty command is a case label too).
    quoted = shlex.quote(text)
    return quoted if quoted.startswith("'") else f"'{text}'"
