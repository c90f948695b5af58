/*
 * xjlink index build|info|verify: the registry index as a file.  `build`
 * reads a registry CSV once and saves its index; `match --index` and
 * `dedup --index` then open the file instead of reading the CSV again.
 */
#include "cli.h"

#include <string.h>
#include <sys/resource.h>

void cmd_index_help(FILE *out)
{
    fputs(cli_msg("help.index"), out);
}

static int index_build(int argc, char **argv)
{
    const char *out_path = NULL, *id_column = NULL, *enc_arg = NULL, *columns = NULL;
    unsigned threads = 0;
    const struct cli_opt opts[] = {
        {"out", CLI_OPT_STRING, &out_path},
        {"id-column", CLI_OPT_STRING, &id_column},
        {"threads", CLI_OPT_UINT, &threads},
        {"encoding", CLI_OPT_STRING, &enc_arg},
        {"columns", CLI_OPT_STRING, &columns},
    };
    char *pos[2];
    int status;
    int npos = cli_parse("index build", cmd_index_help, argc, argv, opts,
                         sizeof opts / sizeof opts[0], pos, 2, &status);
    if (npos < 0)
        return status;
    if (npos != 1 || !out_path)
        return cli_usage_error("index build", "%s", cli_msg("index.need_build_args"));
    xjl_encoding enc;
    if (cli_encoding_arg("index build", enc_arg, &enc))
        return CLI_EXIT_USAGE;
    if (cli_same_file(out_path, pos[0]))
        return cli_usage_error("index build", cli_msg("index.overwrites_registry"), out_path);
    double t0 = cli_now();
    size_t bad = 0;
    xjl_index *ix = NULL;
    if (xjl_index_new(&ix) != XJL_OK)
        return cli_fail("index build", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    if (xjl_index_add_csv_columns(ix, pos[0], enc, id_column, columns, cli_ws_diag, NULL, &bad) !=
            XJL_OK ||
        xjl_index_build(ix, threads) != XJL_OK) {
        status = cli_fail("index build", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    } else if (xjl_index_save(ix, out_path) != XJL_OK) {
        status = cli_fail("index build", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    } else {
        xjl_index_info_t info;
        xjl_index_info(ix, &info);
        struct rusage ru;
        long rss_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
        fprintf(stderr, cli_msg("index.built"),
                pos[0], xjl_index_count(ix), bad, cli_now() - t0, out_path,
                (unsigned long long)info.file_bytes,
                info.records ? (double)info.file_bytes / (double)info.records : 0.0,
                (double)rss_kb / 1e3);
        status = CLI_EXIT_OK;
    }
    xjl_index_free(ix);
    return status;
}

static int index_open_arg(const char *cmd, int argc, char **argv, unsigned flags,
                          xjl_index **ix, const char **path)
{
    char *pos[2];
    int status;
    int npos = cli_parse(cmd, cmd_index_help, argc, argv, NULL, 0, pos, 2, &status);
    if (npos < 0)
        return status;
    if (npos != 1)
        return cli_usage_error(cmd, "%s", cli_msg("index.need_file"));
    *path = pos[0];
    if (xjl_index_open(ix, pos[0], flags) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
    return CLI_EXIT_OK;
}

static int index_info(int argc, char **argv)
{
    xjl_index *ix;
    const char *path;
    int status = index_open_arg("index info", argc, argv, 0, &ix, &path);
    if (status != CLI_EXIT_OK)
        return status;
    xjl_index_info_t in;
    xjl_index_info(ix, &in);
    double r = in.records ? (double)in.records : 1.0;
    printf(cli_msg("index.info"),
           path, (unsigned long long)in.records, in.format_version, in.key_scheme,
           (unsigned long long)in.key_fingerprint, in.library_version, xjl_version(),
           (unsigned long long)in.stamp, (unsigned long long)in.file_bytes,
           (double)in.file_bytes / r, (unsigned long long)in.entry_bytes,
           (unsigned long long)in.string_bytes, (unsigned long long)in.id_table_bytes,
           (unsigned long long)in.name_table_bytes, (unsigned long long)in.rid_table_bytes);
    xjl_index_free(ix);
    return CLI_EXIT_OK;
}

static int index_verify(int argc, char **argv)
{
    xjl_index *ix;
    const char *path;
    int status = index_open_arg("index verify", argc, argv, XJL_INDEX_VERIFY, &ix, &path);
    if (status != CLI_EXIT_OK)
        return status;
    printf(cli_msg("index.sound"), path, xjl_index_count(ix));
    xjl_index_free(ix);
    return CLI_EXIT_OK;
}

int cmd_index(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {{"build", index_build}, {"info", index_info}, {"verify", index_verify}};
    if (argc < 2) {
        cmd_index_help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_index_help(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage_error("index", cli_msg("index.unknown_step"), argv[1]);
}
