/*
 * xjlink: the command-line program.  This file only dispatches: each command
 * is a file of its own (cmd_<name>.c) and one line in the table below.
 */
#include "cli.h"

#include <stdbool.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

static const struct cli_command commands[] = {
    {"check", "cmd.check", cmd_check, cmd_check_help},
    {"match", "cmd.match", cmd_match, cmd_match_help},
    {"dedup", "cmd.dedup", cmd_dedup, cmd_dedup_help},
    {"index", "cmd.index", cmd_index, cmd_index_help},
#if XJL_WITH_WORKSPACE
    {"intake", "cmd.intake", cmd_intake, cmd_intake_help},
    {"enrol", "cmd.enrol", cmd_enrol, cmd_enrol_help},
#endif
};

static void usage(FILE *out)
{
    fputs(cli_msg("help.main.head"), out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, cli_msg(commands[i].summary));
    fputs(cli_msg("help.main.tail"), out);
}

/* The language of everything the program says: --lang L anywhere on the
 * command line (before a lone "--"), else the locale as POSIX orders it
 * (LC_ALL, LC_MESSAGES, LANG: the first one set decides), Chinese for
 * zh_CN.  Decided before the command runs, so that its --help and usage
 * errors are in it too.  The option is taken out of argv (every command
 * has it); 0, or CLI_EXIT_USAGE after saying the value is not a language. */
static int program_lang(int *argc, char **argv)
{
    cli_lang = XJL_LANG_EN;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            cli_lang = strncmp(v, "zh_CN", 5) == 0 ? XJL_LANG_ZH : XJL_LANG_EN;
            break;
        }
    }
    const char *given = NULL;
    int w = 1;
    bool options = true;
    for (int i = 1; i < *argc; i++) {
        if (options && strcmp(argv[i], "--") == 0)
            options = false;
        if (options && strncmp(argv[i], "--lang=", 7) == 0) {
            given = argv[i] + 7;
        } else if (options && strcmp(argv[i], "--lang") == 0) {
            if (i + 1 == *argc)
                return cli_usage_error(*argc > 2 && argv[1][0] != '-' ? argv[1] : NULL,
                                       cli_msg("cli.option_needs_value"), "lang");
            given = argv[++i];
        } else {
            argv[w++] = argv[i];
        }
    }
    *argc = w;
    argv[w] = NULL;
    if (given && !cli_lang_parse(given, &cli_lang))
        return cli_usage_error(w > 1 && argv[1][0] != '-' ? argv[1] : NULL,
                               cli_msg("cli.unknown_language"), given);
    return 0;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
    /* A batch's results are made by the matching threads and freed by the
     * thread that writes them, a few megabytes at a time.  glibc gives the
     * top of a thread's heap back to the kernel as soon as 128 KiB of it is
     * free, and the next batch takes every page again as a fault: half of
     * the page faults of `match --index`, a tenth of its time.  Keep it. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    if (program_lang(&argc, argv) != 0)
        return CLI_EXIT_USAGE;
    xjl_set_lang(cli_lang); /* the library's messages too */
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2) /* xjlink help COMMAND */
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    commands[i].help(stdout);
                    return CLI_EXIT_OK;
                }
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf(cli_msg("cli.version"), XJL_VERSION_STRING, xjl_version());
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return cli_usage_error(NULL, cli_msg("cli.unknown_option"), cmd);
    return cli_usage_error(NULL, cli_msg("cli.unknown_command"), cmd);
}
