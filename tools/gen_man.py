"""Writes the man page and the bash completion of the xjlink program from its
own --help texts, so that the program stays the one source of both.

    python3 tools/gen_man.py XJLINK VERSION MAN_OUT COMPLETION_OUT

The commands are the lines under "Commands:" of `xjlink --help`; each
command's options are the --words of `xjlink COMMAND --help`, its
subcommands (intake, enrol) the first words of the lines under
"Subcommands:".  Fails if a help text has none of these, so that a change of
the help's layout cannot quietly produce an empty page.
"""
import re
import subprocess
import sys


def help_text(prog, *args):
    # the English help, whatever the build machine's locale (zh_CN would give the Chinese one)
    r = subprocess.run([prog, *args, "--help", "--lang", "en"], capture_output=True, text=True,
                       check=True)
    return r.stdout


def section(text, title):
    """The indented lines under every line 'Title:' or 'Title (note):'."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if re.fullmatch(re.escape(title) + r"( \(.*\))?:", line.strip()):
            for l in lines[i + 1:]:
                if not l.startswith(" "):
                    break
                out.append(l)
    return out


def roff(text):
    """Text set as it is (.nf), with roff's special characters escaped."""
    out = []
    for line in text.rstrip("\n").splitlines():
        line = line.replace("\\", "\\e").replace("-", "\\-")
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def main(prog, version, man_out, completion_out):
    top = help_text(prog)
    commands = [(l.split()[0], " ".join(l.split()[1:])) for l in section(top, "Commands")]
    if not commands:
        sys.exit("gen_man.py: no 'Commands:' in xjlink --help")
    per = {}
    for name, _ in commands:
        text = help_text(prog, name)
        options = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text)) | {"--help"})
        subs = [l.split()[0] for l in section(text, "Subcommands") if l.split()
                and not l.split()[0].startswith("-") and l.startswith("  ") and
                not l.startswith("   ")]
        per[name] = (text, options, subs)

    page = [f'.TH XJLINK 1 "" "xjlink {version}" "User Commands"',
            ".SH NAME",
            "xjlink \\- check and match Chinese student records (电子学籍接续)",
            ".SH SYNOPSIS",
            ".B xjlink",
            ".I COMMAND",
            "[\\fIOPTIONS\\fR] [\\fIFILES\\fR]",
            ".SH DESCRIPTION",
            ".nf", roff(top), ".fi"]
    for name, summary in commands:
        page += [f".SH \"xjlink {name}\"", roff(summary), ".PP", ".nf", roff(per[name][0]), ".fi"]
    page += [".SH SEE ALSO", "The README and the headers include/xjlink.h and include/xjlink/ of the xjlink sources."]
    with open(man_out, "w", encoding="utf-8") as f:
        f.write("\n".join(page) + "\n")

    cases = []
    for name, (_, options, subs) in per.items():
        cases.append(f"        {name}) opts=\"{' '.join(options)}\"; subs=\"{' '.join(subs)}\" ;;")
    script = f"""# bash completion for xjlink, generated from its --help by tools/gen_man.py
_xjlink() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} cmd=${{COMP_WORDS[1]}} opts subs
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{' '.join(n for n, _ in commands)} --help --version" -- "$cur"))
        return
    fi
    case $cmd in
{chr(10).join(cases)}
        *) return ;;
    esac
    if [ "$COMP_CWORD" -eq 2 ] && [ -n "$subs" ] && [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _xjlink xjlink
"""
    with open(completion_out, "w", encoding="utf-8") as f:
        f.write(script)


if __name__ == "__main__":
    main(*sys.argv[1:5])
