/*
 * xjlink: the command-line program.  This file only dispatches: each command
 * is a file of its own (cmd_<name>.c) and one line in the table below.
 */
#include "cli.h"

#include <string.h>

static const struct cli_command commands[] = {
    {"check", "check the five key fields of every row of a roster", cmd_check, cmd_check_help},
    {"match", "match a roster against a registry (已匹配/待确认/未查到)", cmd_match, cmd_match_help},
    {"dedup", "find the records of a registry that are the same child (问题学籍)", cmd_dedup, cmd_dedup_help},
#if XJL_WITH_WORKSPACE
    {"intake", "primary intake workflow in a workspace (学前调档, 补录, 审核)", cmd_intake, cmd_intake_help},
    {"enrol", "secondary enrolment: quotas, admissions, double admission (招生)", cmd_enrol, cmd_enrol_help},
#endif
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: xjlink COMMAND [OPTIONS] [FILES]\n"
                 "       xjlink COMMAND --help\n"
                 "       xjlink --version\n"
                 "\n"
                 "Checks and matches Chinese student records on their five key fields\n"
                 "(姓名, 性别, 出生日期, 身份证件类型, 身份证件号) for 电子学籍接续.\n"
                 "\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n"
                 "Input files are CSV (RFC 4180) in UTF-8 (with or without BOM) or GB18030/GBK,\n"
                 "as Excel writes them; the encoding is detected unless --encoding is given.\n"
                 "\n"
                 "Exit status:\n"
                 "  0  done, and no row has an error\n"
                 "  1  the output could not be written, or out of memory\n"
                 "  2  bad command line, or an input file that cannot be read (missing,\n"
                 "     a key column missing, an unterminated quote)\n"
                 "  3  check: done, but some rows have an error finding (see the report);\n"
                 "     match never uses it: rows with status error are results\n"
                 "  4  intake, enrol: the workflow refused the step (the message says why)\n");
}

int main(int argc, char **argv)
{
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
        printf("xjlink %s (library %s)\n", XJL_VERSION_STRING, xjl_version());
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", cmd);
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
