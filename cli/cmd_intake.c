/*
 * xjlink intake SUBCOMMAND WS.db ...: the primary intake workflow over a
 * workspace file, one library call per subcommand.  Also the helpers the
 * workspace commands share (cmd_enrol.c uses them): opening a workspace
 * with an operator, printing a table, the exit status of a step.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared by the workspace commands ---------------------------------------- */

int cli_ws_open(const char *cmd, const char *path, const char *operator_id, xjl_workspace **ws)
{
    int rc = xjl_workspace_open(ws, path);
    if (rc != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_USAGE, "%s: %s", path, xjl_errmsg());
    xjl_workspace_set_operator(*ws, operator_id);
    return CLI_EXIT_OK;
}

int cli_ws_status(const char *cmd, int rc)
{
    if (rc == XJL_OK)
        return CLI_EXIT_OK;
    fprintf(stderr, "xjlink %s: %s: %s\n", cmd, xjl_strerror(rc), xjl_errmsg());
    switch (rc) {
    case XJL_ESTATE:
    case XJL_EQUOTA:
    case XJL_EPOLICY:
    case XJL_EDUPLICATE:
    case XJL_ENOTFOUND:
        return CLI_EXIT_REFUSED;
    case XJL_EINVAL:
    case XJL_EIO:
    case XJL_EFORMAT:
    case XJL_EENCODING:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_FAIL;
    }
}

int cli_ws_print(const char *cmd, int rc, xjl_listing **listing, const char *out_path)
{
    /* Through a pointer: the listing is read after the call that filled it. */
    xjl_listing *t = *listing;
    *listing = NULL;
    if (rc != XJL_OK)
        return cli_ws_status(cmd, rc);
    struct cli_out *o = cli_out_open(cmd, out_path ? out_path : "-", false);
    if (!o) {
        xjl_listing_free(t);
        return CLI_EXIT_FAIL;
    }
    for (size_t c = 0; c < xjl_listing_cols(t); c++)
        cli_out_field(o, xjl_listing_col_name(t, c), XJL_NTS);
    cli_out_end_row(o);
    for (size_t r = 0; r < xjl_listing_rows(t); r++) {
        for (size_t c = 0; c < xjl_listing_cols(t); c++)
            cli_out_field(o, xjl_listing_get(t, r, c), XJL_NTS);
        cli_out_end_row(o);
    }
    xjl_listing_free(t);
    return cli_out_close(o);
}

bool cli_ws_row_id(const char *cmd, const char *arg, int64_t *out)
{
    char *end = NULL;
    long long v = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || !*arg || *end || v <= 0) {
        cli_usage_error(cmd, "'%s' is not a row id", arg ? arg : "");
        return false;
    }
    *out = v;
    return true;
}

/* ---- intake --------------------------------------------------------------------- */

void cmd_intake_help(FILE *out)
{
    fprintf(out,
            "Usage: xjlink intake SUBCOMMAND WS.db [ARGS] [--operator ID]\n"
            "\n"
            "The primary intake workflow (小学新生学籍接续) in a workspace file (created if\n"
            "missing).  Every step is one transaction and goes into the audit trail with\n"
            "the --operator id.\n"
            "\n"
            "Subcommands:\n"
            "  load-registry WS REG.csv          load/refresh the preschool registry (17 fields)\n"
            "  school WS --school S [--name N] [--region R] [--identifier I]\n"
            "  import WS --school S ROSTER.csv   import and match a school's list\n"
            "  list WS --school S [--status ST]  rows (matched, pending, not_found, error, confirmed)\n"
            "  show WS ROW                       a row, its candidates and history\n"
            "  edit WS ROW [--name N] [--gender G] [--birth-date D] [--id-type T] [--id-number X]\n"
            "  confirm WS ROW RECORD_ID          confirm one candidate of a pending row\n"
            "  none WS ROW                       no candidate is this pupil\n"
            "  delete WS ROW [--reason R]        delete a junk row\n"
            "  supplement WS ROW [FIELD=VALUE ...] [--done]\n"
            "                                    show or edit the 17 fields; --done saves\n"
            "  export-not-found WS --school S OUT.csv\n"
            "  submit WS --school S              school review and submission\n"
            "  return WS ROW --reason R          the authority returns a row\n"
            "  approve WS --school S             the authority approves: student numbers\n"
            "  audit WS [--object O] [--id N]    the audit trail\n"
            "\n"
            "Options:\n"
            "  --operator ID  who does the step (audit trail)\n"
            "  --encoding E   auto (default), utf-8, gb18030 (input files)\n"
            "  --out FILE     write a listing to FILE instead of stdout\n"
            "\n"
            "Listings are CSV on stdout.  Exit status: 0 done, 4 the workflow refused the\n"
            "step (the message says why), 2 usage error or unreadable file, 1 failure.\n");
}

struct intake_args {
    const char *operator_id, *school, *status, *encoding, *reason, *out;
    const char *name, *gender, *birth_date, *id_type, *id_number;
    const char *region, *identifier, *object, *id;
    bool done;
    char *pos[64];
    int npos;
    xjl_encoding enc;
};

static int load_registry(xjl_workspace *ws, struct intake_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("intake", "load-registry needs WS.db REG.csv");
    xjl_load_report rep;
    int rc = xjl_intake_load_registry(ws, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, "%zu rows: %zu inserted, %zu updated, %zu unchanged, %zu not loaded\n",
                rep.rows, rep.inserted, rep.updated, rep.unchanged, rep.bad_rows);
    return cli_ws_status("intake load-registry", rc);
}

static int need_school(struct intake_args *a, const char *sub)
{
    if (!a->school || !*a->school)
        return cli_usage_error("intake", "%s needs --school S", sub);
    return CLI_EXIT_OK;
}

static int school(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "school");
    if (rc != CLI_EXIT_OK)
        return rc;
    long region = a->region ? strtol(a->region, NULL, 10) : 0;
    return cli_ws_status("intake school",
                         xjl_school_set(ws, a->school, a->name, (int32_t)region, a->identifier));
}

static int import(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "import");
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a->npos != 3)
        return cli_usage_error("intake", "import needs WS.db --school S ROSTER.csv");
    xjl_load_report rep;
    rc = xjl_intake_import(ws, a->school, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, "%zu rows imported: %zu 已匹配 matched, %zu 待确认 pending, %zu 未查到 "
                        "not found, %zu error; %zu not imported\n",
                rep.inserted, rep.matched, rep.pending, rep.not_found, rep.errors, rep.bad_rows);
    return cli_ws_status("intake import", rc);
}

static int list(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "list");
    if (rc != CLI_EXIT_OK)
        return rc;
    xjl_row_status st = XJL_ROW_MATCHED;
    if (a->status && xjl_row_status_parse(a->status, &st) != XJL_OK)
        return cli_usage_error("intake", "%s", xjl_errmsg());
    xjl_listing *t = NULL;
    rc = xjl_intake_list(ws, a->school, a->status ? (int)st : -1, &t);
    return cli_ws_print("intake list", rc, &t, a->out);
}

static int show(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    xjl_listing *t = NULL;
    int rc = cli_ws_print("intake show", xjl_intake_row(ws, row, &t), &t, a->out);
    if (rc != CLI_EXIT_OK)
        return rc;
    printf("\n");
    if ((rc = cli_ws_print("intake show", xjl_intake_candidates(ws, row, &t), &t, a->out)) != CLI_EXIT_OK)
        return rc;
    printf("\n");
    return cli_ws_print("intake show", xjl_intake_history(ws, row, &t), &t, a->out);
}

static int edit(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    xjl_record rec = {a->name, a->gender, a->birth_date, a->id_type, a->id_number};
    xjl_row_status st;
    int rc = xjl_intake_edit(ws, row, &rec, &st);
    if (rc == XJL_OK)
        printf("%lld,%s,%s\n", (long long)row, xjl_row_status_name(st), xjl_row_status_label_zh(st));
    return cli_ws_status("intake edit", rc);
}

static int confirm(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 4 || !cli_ws_row_id("intake", a->pos[2], &row))
        return cli_usage_error("intake", "confirm needs WS.db ROW RECORD_ID");
    return cli_ws_status("intake confirm", xjl_intake_confirm(ws, row, a->pos[3]));
}

static int none(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    return cli_ws_status("intake none", xjl_intake_declare_none(ws, row));
}

static int delete_row(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    return cli_ws_status("intake delete", xjl_intake_delete(ws, row, a->reason));
}

static int supplement(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos < 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    for (int i = 3; i < a->npos; i++) {
        char *eq = strchr(a->pos[i], '=');
        if (!eq)
            return cli_usage_error("intake", "'%s' is not FIELD=VALUE", a->pos[i]);
        *eq = '\0';
        xjl_sfield f;
        if (xjl_sfield_parse(a->pos[i], &f) != XJL_OK)
            return cli_usage_error("intake", "%s", xjl_errmsg());
        int rc = xjl_intake_supplement_set(ws, row, f, eq + 1);
        if (rc != XJL_OK)
            return cli_ws_status("intake supplement", rc);
    }
    if (a->done) {
        int rc = xjl_intake_supplement_save(ws, row);
        if (rc != XJL_OK)
            return cli_ws_status("intake supplement", rc);
    }
    xjl_listing *t = NULL;
    return cli_ws_print("intake supplement", xjl_intake_supplement(ws, row, &t), &t, a->out);
}

static int export_not_found(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "export-not-found");
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a->npos != 3)
        return cli_usage_error("intake", "export-not-found needs WS.db --school S OUT.csv");
    size_t n = 0;
    rc = xjl_intake_export_not_found(ws, a->school, a->pos[2], &n);
    if (rc == XJL_OK)
        fprintf(stderr, "%zu not-found rows written to %s\n", n, a->pos[2]);
    return cli_ws_status("intake export-not-found", rc);
}

static int submit(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "submit");
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t n = 0;
    rc = xjl_intake_submit(ws, a->school, &n);
    if (rc == XJL_OK)
        fprintf(stderr, "%zu rows submitted\n", n);
    return cli_ws_status("intake submit", rc);
}

static int return_row(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    return cli_ws_status("intake return", xjl_intake_return(ws, row, a->reason));
}

static int approve(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "approve");
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t ok = 0, back = 0;
    rc = xjl_intake_approve(ws, a->school, &ok, &back);
    if (rc == XJL_OK)
        fprintf(stderr, "%zu rows approved, %zu returned as duplicates\n", ok, back);
    return cli_ws_status("intake approve", rc);
}

static int audit(xjl_workspace *ws, struct intake_args *a)
{
    xjl_listing *t = NULL;
    int64_t id = a->id ? strtoll(a->id, NULL, 10) : 0;
    return cli_ws_print("intake audit", xjl_workspace_audit(ws, a->object, id, &t), &t, a->out);
}

static const struct {
    const char *name;
    int (*run)(xjl_workspace *ws, struct intake_args *a);
} subcommands[] = {
    {"load-registry", load_registry}, {"school", school},   {"import", import},
    {"list", list},                   {"show", show},       {"edit", edit},
    {"confirm", confirm},             {"none", none},       {"delete", delete_row},
    {"supplement", supplement},       {"export-not-found", export_not_found},
    {"submit", submit},               {"return", return_row}, {"approve", approve},
    {"audit", audit},
};

int cmd_intake(int argc, char **argv)
{
    struct intake_args a = {0};
    const struct cli_opt opts[] = {
        {"operator", CLI_OPT_STRING, &a.operator_id}, {"school", CLI_OPT_STRING, &a.school},
        {"status", CLI_OPT_STRING, &a.status},       {"encoding", CLI_OPT_STRING, &a.encoding},
        {"reason", CLI_OPT_STRING, &a.reason},       {"out", CLI_OPT_STRING, &a.out},
        {"name", CLI_OPT_STRING, &a.name},           {"gender", CLI_OPT_STRING, &a.gender},
        {"birth-date", CLI_OPT_STRING, &a.birth_date}, {"id-type", CLI_OPT_STRING, &a.id_type},
        {"id-number", CLI_OPT_STRING, &a.id_number}, {"region", CLI_OPT_STRING, &a.region},
        {"identifier", CLI_OPT_STRING, &a.identifier}, {"object", CLI_OPT_STRING, &a.object},
        {"id", CLI_OPT_STRING, &a.id},               {"done", CLI_OPT_FLAG, &a.done},
    };
    int status;
    a.npos = cli_parse("intake", cmd_intake_help, argc, argv, opts, sizeof opts / sizeof opts[0],
                       a.pos, 64, &status);
    if (a.npos < 0)
        return status;
    if (a.npos < 2)
        return cli_usage_error("intake", "needs a SUBCOMMAND and WS.db");
    if (cli_encoding_arg("intake", a.encoding, &a.enc) != 0)
        return CLI_EXIT_USAGE;
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(a.pos[0], subcommands[i].name) != 0)
            continue;
        xjl_workspace *ws = NULL;
        int rc = cli_ws_open("intake", a.pos[1], a.operator_id, &ws);
        if (rc != CLI_EXIT_OK)
            return rc;
        rc = subcommands[i].run(ws, &a);
        xjl_workspace_close(ws);
        return rc;
    }
    return cli_usage_error("intake", "unknown subcommand '%s'", a.pos[0]);
}
