/*
 * xjlink dedup --registry R.csv --out CLUSTERS.csv: the duplicate check
 * (查重, 问题学籍) of a whole registry in this process.  Loads the registry
 * (without building its search tables: every block builds its own), runs
 * xjl_dedup_run() and writes the clusters; the summary goes to stderr.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

void cmd_dedup_help(FILE *out)
{
    fputs(cli_msg("help.dedup"), out);
}

/* A line per search key the block limit cut, before the summary that counts them. */
static void capped_lines(const xjl_dedup *d)
{
    char line[1024];
    for (size_t i = 0; i < xjl_dedup_capped_count(d); i++)
        if (xjl_dedup_capped_text(d, i, cli_lang, line, sizeof line, NULL) != XJL_ENOTFOUND)
            fprintf(stderr, "xjlink dedup: %s\n", line); /* a line too long for it: cut */
}

static void summary(const xjl_dedup *d, const char *registry, size_t bad_rows, double t_load,
                    double t_check)
{
    uint64_t records = xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS);
    uint64_t memory = xjl_dedup_stat_get(d, XJL_DEDUP_MEMORY);
    struct rusage ru;
    long rss_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    fprintf(stderr, cli_msg("dedup.summary.registry"), registry, (unsigned long long)records,
            bad_rows, (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_BLOCKS));
    fprintf(stderr, cli_msg("dedup.summary.clusters"),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_SAME_ID),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_NO_ID),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_ONE_ID),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_FUZZY),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERED),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_BAD_ID),
            (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_REFUSED));
    /* only when there are such records: they are the check's blind spot */
    uint64_t unreadable = xjl_dedup_stat_get(d, XJL_DEDUP_KEYS_UNREADABLE);
    if (unreadable)
        fprintf(stderr, cli_msg("dedup.summary.unreadable"), (unsigned long long)unreadable);
    /* only when some key was cut: a check within the limit says what it said before */
    uint64_t capped = xjl_dedup_stat_get(d, XJL_DEDUP_CAPPED_BLOCKS);
    if (capped) {
        xjl_dup_capped c;
        xjl_dedup_capped(d, 0, &c);
        fprintf(stderr, cli_msg("dedup.summary.capped"), (unsigned long long)c.limit,
                (unsigned long long)capped,
                (unsigned long long)xjl_dedup_stat_get(d, XJL_DEDUP_NOT_COMPARED));
    }
    fprintf(stderr, cli_msg("dedup.summary.time"), t_load, t_check, t_load + t_check,
            (double)memory / 1e6, records ? (double)memory / (double)records : 0.0,
            (double)rss_kb / 1e3, records ? (double)rss_kb * 1024.0 / (double)records : 0.0);
}

/* The clusters as CSV, or as a workbook through a CSV file beside it. */
static int write_out(const xjl_dedup *d, const char *out_path, int lang)
{
    char *staging = cli_xlsx_staging(out_path);
    int status = xjl_dedup_write_csv(d, staging ? staging : out_path, lang) == XJL_OK
                     ? CLI_EXIT_OK
                     : cli_fail("dedup", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    return staging ? cli_xlsx_finish("dedup", staging, out_path, status) : status;
}

int cmd_dedup(int argc, char **argv)
{
    const char *registry = NULL, *out_path = NULL, *id_column = NULL, *enc_arg = NULL,
               *lang_arg = NULL, *index_path = NULL, *report_path = NULL, *columns = NULL;
    unsigned threads = 0, report_rows = (unsigned)-1;
    const struct cli_opt opts[] = {
        {"registry", CLI_OPT_STRING, &registry},     {"out", CLI_OPT_STRING, &out_path},
        {"id-column", CLI_OPT_STRING, &id_column},   {"threads", CLI_OPT_UINT, &threads},
        {"encoding", CLI_OPT_STRING, &enc_arg},      {"lang", CLI_OPT_STRING, &lang_arg},
        {"index", CLI_OPT_STRING, &index_path},      {"report", CLI_OPT_STRING, &report_path},
        {"report-rows", CLI_OPT_UINT, &report_rows}, {"columns", CLI_OPT_STRING, &columns},
    };
    int status;
    if (cli_parse("dedup", cmd_dedup_help, argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0,
                  &status) < 0)
        return status;
    if (!registry == !index_path || !out_path)
        return cli_usage_error("dedup", "%s", cli_msg("dedup.need_inputs"));
    if (index_path && (id_column || columns))
        return cli_usage_error("dedup", "%s", cli_msg("dedup.index_options"));
    xjl_encoding enc;
    int lang;
    if (cli_encoding_arg("dedup", enc_arg, &enc) || cli_lang_arg("dedup", lang_arg, &lang))
        return CLI_EXIT_USAGE;

    /* An output that cannot be written, or that is the registry (its CSV or
     * its index file), is said now, not after the check; the probe leaves
     * the destination as it is. */
    const char *input = registry ? registry : index_path;
    xjl_output *probe;
    if (xjl_output_open(&probe, out_path, &input, 1) != XJL_OK) /* the input: as match */
        return cli_fail("dedup", xjl_errcode() == XJL_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL, "%s",
                        xjl_errmsg());
    xjl_output_abort(probe);
    xjl_report *rep;
    if ((status = cli_report_open("dedup", report_path, XJL_REPORT_DEDUP, lang, report_rows,
                                  out_path, &input, 1, &rep)) != 0)
        return status;

    double t0 = cli_now();
    size_t bad_rows = 0;
    xjl_index *ix = NULL;
    int ixrc = index_path ? xjl_index_open(&ix, index_path, XJL_INDEX_VERIFY) : xjl_index_new(&ix);
    /* the index's refusal (a damaged, foreign or missing file) is told
     * before xjl_dedup_new(), whose own scratch index would replace it */
    if (ixrc != XJL_OK) {
        status = cli_fail("dedup", ixrc == XJL_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE, "%s",
                          xjl_errmsg());
        xjl_report_free(rep);
        return status;
    }
    xjl_dedup *d = NULL;
    if (xjl_dedup_new(&d) != XJL_OK) {
        status = cli_fail("dedup", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        xjl_index_free(ix);
        xjl_report_free(rep);
        return status;
    }
    if (!registry)
        registry = index_path;
    if ((!index_path && xjl_index_add_csv_columns(ix, registry, enc, id_column, columns,
                                                  cli_ws_diag, NULL, &bad_rows) != XJL_OK) ||
        /* the check reads records by position: changes of the file folded in first */
        (index_path && xjl_index_changes(ix) && xjl_index_compact(ix, threads) != XJL_OK)) {
        status = cli_fail("dedup", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    } else {
        double t1 = cli_now();
        if (xjl_dedup_run(d, ix, threads) != XJL_OK) {
            status = cli_fail("dedup", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        } else {
            double t2 = cli_now();
            status = write_out(d, out_path, lang);
            capped_lines(d);
            summary(d, registry, bad_rows, t1 - t0, t2 - t1);
            if (rep && status == CLI_EXIT_OK) {
                xjl_report_add_input(rep, cli_msg("report.input.registry"), registry);
                xjl_report_add_input(rep, cli_msg("report.input.results"), out_path);
                if (xjl_report_add_dedup(rep, d, ix) != XJL_OK)
                    status = cli_fail("dedup", CLI_EXIT_FAIL, "--report: %s", xjl_errmsg());
            }
        }
    }
    status = cli_report_close("dedup", rep, report_path, &input, 1, status);
    xjl_dedup_free(d);
    xjl_index_free(ix);
    return status;
}
