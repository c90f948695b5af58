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
#include <unistd.h>

#define DIAG_SHOWN 20 /* bad registry rows printed; the rest are counted */

void cmd_match_help(FILE *out)
{
    fprintf(out,
            "Usage: xjlink match --registry R.csv --roster Q.csv --out OUT.csv [OPTIONS]\n"
            "\n"
            "Matches every roster row against the registry on the five key fields and\n"
            "writes the roster's columns unchanged followed by:\n"
            "  status      matched, pending, not_found or error (with --lang zh:\n"
            "              已匹配学前学籍, 待确认学前学籍, 未查到学前学籍, 错误)\n"
            "  match_id    registry id of the matched record (matched only)\n"
            "  candidates  registry ids of the candidates, best first, joined by ';'\n"
            "  score       score of the best candidate\n"
            "  reasons     why: the best candidate's agreement per field, or the errors\n"
            "  weights     the best candidate's part of the score per field, e.g.\n"
            "              name=pinyin(+6.0) dob=exact(+10.0) ... (they sum to score)\n"
            "Rows that cannot be read (wrong number of fields, a NUL byte) get status\n"
            "error with the reason; no row is dropped.\n"
            "\n"
            "Options:\n"
            "  --registry FILE        registry CSV (e.g. the preschool records)\n"
            "  --index FILE           or the registry's index file (`xjlink index build`):\n"
            "                         opened and verified instead of reading the CSV\n"
            "  --roster FILE          roster CSV to match\n"
            "  --out FILE             output CSV ('-' for stdout), or an Excel workbook: FILE.xlsx\n"
            "  --id-column C          registry column with the record id (default: id,\n"
            "                         学籍ID or 学前学籍ID, else the row number)\n"
            "  --threads N            worker threads (default 0: all cores)\n"
            "  --max-candidates K     candidates kept per row (default 10)\n"
            "  --match-without-id     match a row without ID number automatically when a\n"
            "                         record without one agrees on the other four fields\n"
            "                         and its name is unique (default: pending)\n"
            "  --encoding E           auto (default), utf-8, gb18030 for both files\n"
            "  --registry-encoding E  the registry's encoding, if it differs\n"
            "  --lang L               en (default) or zh: status and messages in Chinese\n"
            "  --excel                write a UTF-8 BOM and CRLF so that Excel opens it right\n"
            "  --no-bom               no UTF-8 BOM under --lang zh (it has one by default, as\n"
            "                         zh-CN Excel reads a CSV without one as GBK)\n"
            "  --columns MAP          roster key columns the names do not find, e.g.\n"
            "                         姓名=XSMC,身份证件号=ZJHM (known: 姓名/name/XM, 性别/XBM,\n"
            "                         出生日期/CSRQ, 身份证件类型/SFZJLXM, 身份证件号/SFZJH)\n"
            "  --progress             progress on stderr even when it is not a terminal\n"
            "\n"
            "Exit status: 0 the roster was matched (rows with status error included:\n"
            "they are results, counted in the summary); 2 usage error or unreadable\n"
            "input; 1 the output could not be written.\n");
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
        fprintf(stderr, "(further bad registry rows are counted, not shown)\n");
}

/* Loads and builds the registry index, or opens its file; NULL after printing why. */
static xjl_index *load_registry(const char *path, const char *index_path, xjl_encoding enc,
                                const char *id_column, unsigned threads, struct diag *d,
                                size_t *bad_rows)
{
    xjl_index *ix = NULL;
    if (index_path) {
        if (xjl_index_open(&ix, index_path, XJL_INDEX_VERIFY) != XJL_OK)
            cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        return ix;
    }
    if (xjl_index_new(&ix) != XJL_OK) {
        cli_fail("match", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        return NULL;
    }
    if (xjl_index_add_csv(ix, path, enc, id_column, registry_diag, d, bad_rows) != XJL_OK ||
        xjl_index_build(ix, threads) != XJL_OK) {
        cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        xjl_index_free(ix);
        return NULL;
    }
    return ix;
}

static void summary(const char *registry, const xjl_index *ix, size_t bad_registry,
                    double t_load, const char *roster, const xjl_match_totals *t, double t_match,
                    int lang)
{
    double rate = t_match > 0 ? (double)t->rows / t_match : 0;
    fprintf(stderr,
            CLI_TR(lang, "registry %s: %zu records (%zu bad rows), loaded and indexed in %.2f s\n",
                   "学籍库 %s：%zu条记录（%zu行无法读取），载入并建索引用时%.2f秒\n"),
            registry, xjl_index_count(ix), bad_registry, t_load);
    fprintf(stderr,
            CLI_TR(lang,
                   "roster %s: %zu rows: %zu matched, %zu pending, %zu not_found, %zu error "
                   "(%zu unreadable rows)\n",
                   "名单 %s：%zu行，已匹配学前学籍%zu，待确认学前学籍%zu，未查到学前学籍%zu，"
                   "错误%zu（其中%zu行无法读取）\n"),
            roster, t->rows, t->matched, t->pending, t->not_found, t->error, t->unreadable);
    fprintf(stderr, CLI_TR(lang, "matched in %.2f s, %.0f rows/s\n", "匹配用时%.2f秒，每秒%.0f行\n"),
            t_match, rate);
}

static void progress_tick(void *user, size_t rows)
{
    struct progress *p = user;
    cli_progress_tick(&p->prog, CLI_TR(p->lang, "matching", "匹配中"), rows);
}

int cmd_match(int argc, char **argv)
{
    const char *registry = NULL, *roster = NULL, *out_path = NULL, *id_column = NULL;
    const char *index_path = NULL;
    const char *enc_arg = NULL, *reg_enc_arg = NULL, *lang_arg = NULL, *columns = NULL;
    unsigned threads = 0, max_candidates = 0;
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
        {"progress", CLI_OPT_FLAG, &progress},
    };
    max_candidates = (unsigned)-1;
    int status;
    if (cli_parse("match", cmd_match_help, argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0,
                  &status) < 0)
        return status;
    if (!registry == !index_path || !roster || !out_path)
        return cli_usage_error("match", "--registry or --index, --roster and --out are needed");
    if (index_path && (id_column || reg_enc_arg))
        return cli_usage_error("match", "--index takes no --id-column or --registry-encoding: "
                                        "they were given to `xjlink index build`");
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
        return cli_usage_error("match", "--out %s would overwrite an input file", out_path);
    /* The roster's header first: a wrong roster should not wait for the registry. */
    int cols[5];
    xjl_csv *csv = cli_open_roster("match", roster, enc, columns, cols);
    if (!csv)
        return CLI_EXIT_USAGE;

    double t0 = cli_now();
    struct diag d = {0};
    size_t bad_registry = 0;
    if (progress || isatty(STDERR_FILENO)) /* loading a large registry takes a while */
        fprintf(stderr, CLI_TR(lang, "loading %s\n", "正在载入 %s\n"), registry);
    xjl_index *ix =
        load_registry(registry, index_path, reg_enc, id_column, threads, &d, &bad_registry);
    xjl_matcher *m = NULL;
    if (!ix || xjl_matcher_new(&m, ix) != XJL_OK) {
        if (ix)
            cli_fail("match", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        xjl_index_free(ix);
        xjl_csv_close(csv);
        return ix ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    }
    if (max_given &&
        xjl_matcher_set_param(m, XJL_PARAM_MAX_CANDIDATES, (double)max_candidates) != XJL_OK) {
        cli_usage_error("match", "--max-candidates %u: %s", max_candidates, xjl_errmsg());
        xjl_matcher_free(m);
        xjl_index_free(ix);
        xjl_csv_close(csv);
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
    xjl_match_totals t;
    double t1 = cli_now();
    char *staging = cli_xlsx_staging(out_path); /* --out FILE.xlsx: CSV first */
    int rc = xjl_match_csv_write(m, csv, staging ? staging : out_path, &o, &t);
    cli_progress_done(&prog.prog);
    summary(registry, ix, bad_registry, t_load, roster, &t, cli_now() - t1, lang);
    /* What was read is written; a bad roster file is the input's fault, a
     * write error or memory the run's. */
    if (rc == XJL_OK)
        status = CLI_EXIT_OK;
    else
        status = cli_fail("match", rc == XJL_EFORMAT || rc == XJL_EENCODING ? CLI_EXIT_USAGE
                                                                             : CLI_EXIT_FAIL,
                          "%s", xjl_errmsg());
    if (staging)
        status = cli_xlsx_finish("match", staging, out_path, status);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    xjl_csv_close(csv);
    return status;
}
