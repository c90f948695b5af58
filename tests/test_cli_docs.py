"""The man page and the bash completion, generated at build time from the
program's --help (tools/gen_man.py): every command and option is in them."""
import os
import re
import shutil
import subprocess

import pytest

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
MAN = os.environ.get("XJL_MAN", "build/cli/xjlink.1")
COMPLETION = os.environ.get("XJL_COMPLETION", "build/cli/xjlink.bash")
# A build without the workflow layer (-Dworkspace=disabled) has no intake, enrol.
WORKSPACE = os.environ.get("XJL_WITH_WORKSPACE", "1") == "1"
COMMANDS = ["check", "match", "dedup", "index"] + (["intake", "enrol"] if WORKSPACE else [])


def helps(*args):
    return subprocess.run([XJLINK, *args, "--help"], capture_output=True, text=True,
                          check=True).stdout


def complete(*words):
    """What bash completes for the command line `words` (the last one being typed)."""
    script = (f"source {COMPLETION}; COMP_WORDS=({' '.join(words)}); "
              f"COMP_CWORD={len(words) - 1}; _xjlink; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                          check=True).stdout.split()


def test_man_page_has_every_command_and_option():
    page = open(MAN, encoding="utf-8").read()
    assert page.startswith(".TH XJLINK 1")
    for c in COMMANDS:
        assert f'.SH "xjlink {c}"' in page
        for opt in set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", helps(c))):
            assert opt.replace("-", "\\-") in page, (c, opt)


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_man_renders():
    r = subprocess.run(["man", "-l", MAN], capture_output=True, text=True,
                       env={**os.environ, "MANPAGER": "cat", "MANWIDTH": "100"})
    assert r.returncode == 0 and "xjlink match" in r.stdout and "--registry" in r.stdout


def test_completion_of_commands_options_and_subcommands():
    assert complete("xjlink", "ma") == ["match"]
    assert sorted(complete("xjlink", "")) == sorted(COMMANDS + ["--help", "--version"])
    assert complete("xjlink", "match", "--reg") == ["--registry", "--registry-columns",
                                                    "--registry-encoding"]
    assert "--lang" in complete("xjlink", "check", "--")
    if WORKSPACE:
        assert sorted(complete("xjlink", "intake", "exp")) == ["export-check", "export-not-found"]
        assert "transfer-archive" in complete("xjlink", "enrol", "")
