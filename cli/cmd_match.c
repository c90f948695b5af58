/*
 * xjlink match --registry R.csv --roster Q.csv --out OUT.csv: loads the
 * registry into an index, then streams the roster through the library's
 * xjl_match_csv_write() (read, match on all threads, write; memory bounded
 * by bytes however long the roster is).  Output rows keep the roster's
 * order and columns and add status, match_id, candidates, score and reasons.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIAG_SHOWN 20 /* bad registry rows printed; the rest are counted */

void cmd_match_help(FILE *out)
{
    fputs(cli_msg("help.match"), out);
}

struct diag {
    size_t seen;
};

struct progress {
    struct cli_progress prog;
    int lang;
};

static void registry_diag(void *user, const char *file, long line, const char *column,
                          const char *value, const char *message)
{
    struct diag *d = user;
    if (d->seen++ < DIAG_SHOWN)
        fprintf(stderr, "%s:%ld: %s '%s': %s\n", file, line, column ? column : "",
                value ? value : "", message);
    else if (d->seen == DIAG_SHOWN + 1)
        fprintf(stderr, "%s\n", cli_msg("cli.more_bad_rows"));
}

/* Loads and builds the registry index, or opens its file; NULL after printing why. */
static xjl_index *load_registry(const char *path, const char *index_path, xjl_encoding enc,
                                const char *id_column, const char *columns, unsigned threads,
                                struct diag *d, size_t *bad_rows)
{
    xjl_index *ix = NULL;
    if (index_path) {
        /* Every read of the matcher stays inside the file; the checksums
         * and the exactness of the tables are `xjlink index verify`'s (0.45 s
         * against this check's 0.06 s on 5,000,000 records, all of it before
         * the first row is matched). */
        if (xjl_index_open(&ix, index_path, XJL_INDEX_BOUNDS) != XJL_OK)
            cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        return ix;
    }
    if (xjl_index_new(&ix) != XJL_OK) {
        cli_fail("match", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        return NULL;
    }
    if (xjl_index_add_csv_columns(ix, path, enc, id_column, columns, registry_diag, d, bad_rows) !=
            XJL_OK ||
        xjl_index_build(ix, threads) != XJL_OK) {
        cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        xjl_index_free(ix);
        return NULL;
    }
    return ix;
}

static void summary(const char *registry, const xjl_index *ix, size_t bad_registry, double t_load,
                    const char *roster, const xjl_match_totals *t, double t_match)
{
    double rate = t_match > 0 ? (double)t->rows / t_match : 0;
    fprintf(stderr, cli_msg("match.summary.registry"), registry, xjl_index_count(ix), bad_registry,
            t_load);
    fprintf(stderr, cli_msg("match.summary.roster"), roster, t->rows, t->matched, t->pending,
            t->not_found, t->error, t->unreadable);
    fprintf(stderr, cli_msg("match.summary.time"), t_match, rate);
}

static void progress_tick(void *user, size_t rows)
{
    struct progress *p = user;
    cli_progress_tick(&p->prog, cli_msg("match.progress"), rows);
}

int cmd_match(int argc, char **argv)
{
    const char *registry = NULL, *roster = NULL, *out_path = NULL, *id_column = NULL;
    const char *index_path = NULL, *report_path = NULL;
    const char *enc_arg = NULL, *reg_enc_arg = NULL, *lang_arg = NULL, *columns = NULL;
    const char *reg_columns = NULL;
    unsigned threads = 0, max_candidates = 0, report_rows = (unsigned)-1;
    bool excel = false, progress = false, without_id = false, max_given, no_bom = false;
    const struct cli_opt opts[] = {
        {"registry", CLI_OPT_STRING, &registry},
        {"index", CLI_OPT_STRING, &index_path},
        {"roster", CLI_OPT_STRING, &roster},
        {"out", CLI_OPT_STRING, &out_path},
        {"id-column", CLI_OPT_STRING, &id_column},
        {"threads", CLI_OPT_UINT, &threads},
        {"max-candidates", CLI_OPT_UINT, &max_candidates},
        {"match-without-id", CLI_OPT_FLAG, &without_id},
        {"encoding", CLI_OPT_STRING, &enc_arg},
        {"registry-encoding", CLI_OPT_STRING, &reg_enc_arg},
        {"lang", CLI_OPT_STRING, &lang_arg},
        {"excel", CLI_OPT_FLAG, &excel},
        {"no-bom", CLI_OPT_FLAG, &no_bom},
        {"columns", CLI_OPT_STRING, &columns},
        {"registry-columns", CLI_OPT_STRING, &reg_columns},
        {"progress", CLI_OPT_FLAG, &progress},
        {"report", CLI_OPT_STRING, &report_path},
        {"report-rows", CLI_OPT_UINT, &report_rows},
    };
    max_candidates = (unsigned)-1;
    int status;
    if (cli_parse("match", cmd_match_help, argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0,
                  &status) < 0)
        return status;
    if (!registry == !index_path || !roster || !out_path)
        return cli_usage_error("match", "%s", cli_msg("match.need_inputs"));
    if (index_path && (id_column || reg_enc_arg || reg_columns))
        return cli_usage_error("match", "%s", cli_msg("match.index_options"));
    if (!registry)
        registry = index_path;
    max_given = max_candidates != (unsigned)-1;
    xjl_encoding enc, reg_enc;
    int lang;
    if (cli_encoding_arg("match", enc_arg, &enc) ||
        cli_encoding_arg("match", reg_enc_arg ? reg_enc_arg : enc_arg, &reg_enc) ||
        cli_lang_arg("match", lang_arg, &lang))
        return CLI_EXIT_USAGE;

    if (cli_same_file(out_path, roster) || cli_same_file(out_path, registry))
        return cli_usage_error("match", cli_msg("cli.overwrites_input"), out_path);
    /* said now, not after the registry is loaded and the roster matched
     * (a workbook is written from its CSV at the end) */
    struct stat out_st;
    if (strcmp(out_path, "-") != 0 && stat(out_path, &out_st) == 0 && S_ISDIR(out_st.st_mode))
        return cli_usage_error("match", cli_msg("cli.out_is_directory"), out_path);
    /* The roster's header first: a wrong roster should not wait for the registry. */
    int cols[5];
    xjl_csv *csv = cli_open_roster("match", roster, enc, columns, cols);
    if (!csv)
        return CLI_EXIT_USAGE;
    const char *inputs[] = {roster, registry};
    xjl_report *rep;
    if ((status = cli_report_open("match", report_path, XJL_REPORT_MATCH, lang, report_rows,
                                  out_path, inputs, 2, &rep)) != 0) {
        xjl_csv_close(csv);
        return status;
    }

    double t0 = cli_now();
    struct diag d = {0};
    size_t bad_registry = 0;
    if (progress || isatty(STDERR_FILENO)) /* loading a large registry takes a while */
        fprintf(stderr, cli_msg("cli.loading"), registry);
    xjl_index *ix = load_registry(registry, index_path, reg_enc, id_column, reg_columns, threads,
                                  &d, &bad_registry);
    xjl_matcher *m = NULL;
    if (!ix || xjl_matcher_new(&m, ix) != XJL_OK) {
        if (ix)
            cli_fail("match", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        xjl_index_free(ix);
        xjl_csv_close(csv);
        xjl_report_free(rep);
        return ix ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    }
    if (max_given &&
        xjl_matcher_set_param(m, XJL_PARAM_MAX_CANDIDATES, (double)max_candidates) != XJL_OK) {
        cli_usage_error("match", cli_msg("match.max_candidates"), max_candidates, xjl_errmsg());
        xjl_matcher_free(m);
        xjl_index_free(ix);
        xjl_csv_close(csv);
        xjl_report_free(rep);
        return CLI_EXIT_USAGE;
    }
    if (without_id)
        xjl_matcher_set_param(m, XJL_PARAM_MATCH_WITHOUT_ID, 1);
    double t_load = cli_now() - t0;

    struct progress prog = {.lang = lang};
    cli_progress_init(&prog.prog, progress);
    xjl_match_csv_options o = XJL_MATCH_CSV_OPTIONS_INIT;
    o.threads = threads;
    o.lang = lang;
    o.flags = cli_csv_flags(excel, lang, no_bom);
    o.progress = progress_tick;
    o.progress_user = &prog;
    o.report = rep;
    if (rep) {
        char what[64];
        snprintf(what, sizeof what, cli_msg("report.input.records_count"), xjl_index_count(ix));
        xjl_report_add_input(rep, cli_msg("report.input.registry"), registry);
        xjl_report_add_input(rep, cli_msg("report.input.records"), what);
        xjl_report_add_input(rep, cli_msg("report.input.roster"), roster);
        xjl_report_add_input(rep, cli_msg("report.input.results"), out_path);
    }
    xjl_match_totals t;
    double t1 = cli_now();
    char *staging = cli_xlsx_staging(out_path); /* --out FILE.xlsx: CSV first */
    int rc = xjl_match_csv_write(m, csv, staging ? staging : out_path, &o, &t);
    cli_progress_done(&prog.prog);
    summary(registry, ix, bad_registry, t_load, roster, &t, cli_now() - t1);
    /* What was read is written; a bad roster file is the input's fault, a
     * write error or memory the run's. */
    if (rc == XJL_OK)
        status = CLI_EXIT_OK;
    else
        status = cli_fail("match",
                          rc == XJL_EFORMAT || rc == XJL_EENCODING ? CLI_EXIT_USAGE : CLI_EXIT_FAIL,
                          "%s", xjl_errmsg());
    if (staging)
        status = cli_xlsx_finish("match", staging, out_path, status);
    status = cli_report_close("match", rep, report_path, inputs, 2, status);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    xjl_csv_close(csv);
    return status;
}
