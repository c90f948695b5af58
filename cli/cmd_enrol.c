/*
 * xjlink enrol SUBCOMMAND WS.db ...: secondary enrolment over a workspace
 * file (graduates, quotas, admissions, double admissions, statistics), one
 * library call per subcommand; cross-check compares two systems' lists.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cmd_enrol_help(FILE *out)
{
    fputs(cli_msg("help.enrol"), out);
}

struct enrol_args {
    const char *operator_id, *school, *year, *route, *encoding, *reason, *out, *to, *kind;
    const char *set, *quota, *object, *id, *stage;
    bool approve, reject, excel, full_ids, on, off;
    const char *role, *scope, *process, *from, *to_date;
    char *pos[8];
    int npos;
    int y;
    xjl_encoding enc;
};

static bool need_school_year(struct enrol_args *a, const char *sub)
{
    if (!a->school || !*a->school || !a->year) {
        cli_usage_error("enrol", cli_msg("ws.cli.needs_school_year"), sub);
        return false;
    }
    return true;
}

static bool one_id(struct enrol_args *a, int64_t *id)
{
    return a->npos == 3 && cli_ws_row_id("enrol", a->pos[2], id);
}

static int load_graduates(xjl_workspace *ws, struct enrol_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.load_graduates"));
    xjl_load_report rep = {0};
    int rc = xjl_enrol_load_graduates(ws, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.loaded"), rep.rows, CLI_PLURAL(rep.rows), rep.inserted,
                rep.updated, rep.unchanged, rep.bad_rows);
    return cli_ws_load_status("enrol load-graduates", rc, &rep);
}

static int graduate(xjl_workspace *ws, struct enrol_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.graduate"));
    xjl_listing *t = NULL;
    return cli_ws_print("enrol graduate", xjl_enrol_graduate(ws, a->pos[2], &t), &t, a->out);
}

static int restore(xjl_workspace *ws, struct enrol_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.restore"));
    return cli_ws_status("enrol restore", xjl_enrol_restore(ws, a->pos[2], a->reason));
}

static int delete_graduate(xjl_workspace *ws, struct enrol_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.delete_graduate"));
    return cli_ws_status("enrol delete-graduate",
                         xjl_enrol_delete_graduate(ws, a->pos[2], a->reason));
}

static int school_kind(xjl_workspace *ws, struct enrol_args *a)
{
    xjl_school_kind k;
    if (!a->school || !a->kind)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.school_kind"));
    if (xjl_school_kind_parse(a->kind, &k) != XJL_OK)
        return cli_usage_error("enrol", "%s", xjl_errmsg());
    return cli_ws_status("enrol school-kind", xjl_school_set_kind(ws, a->school, k));
}

static int quota(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "quota"))
        return CLI_EXIT_USAGE;
    int rc = XJL_OK;
    long long n = 0;
    if (a->set && !cli_ws_number("enrol", "--set", a->set, 0, 1000000, &n))
        return CLI_EXIT_USAGE;
    if (a->set)
        rc = xjl_enrol_set_quota(ws, a->school, a->y, (size_t)n);
    size_t q = 0, used = 0;
    if (rc == XJL_OK && (rc = xjl_enrol_quota(ws, a->school, a->y, &q, &used)) == XJL_OK)
        printf("%s,%s,%s,%s\n%s,%d,%zu,%zu\n", cli_msg("column.school"), cli_msg("column.year"),
               cli_msg("column.quota"), cli_msg("column.used"), a->school, a->y, q, used);
    return cli_ws_status("enrol quota", rc);
}

static int request_quota(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "request-quota"))
        return CLI_EXIT_USAGE;
    if (!a->quota)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.request_quota"));
    long long n = 0;
    if (!cli_ws_number("enrol", "--quota", a->quota, 1, 1000000, &n))
        return CLI_EXIT_USAGE;
    int64_t id = 0;
    int rc = xjl_enrol_request_quota(ws, a->school, a->y, (size_t)n, a->reason, &id);
    if (rc == XJL_OK)
        printf("%lld\n", (long long)id);
    return cli_ws_status("enrol request-quota", rc);
}

static int decide_quota(xjl_workspace *ws, struct enrol_args *a)
{
    int64_t id;
    if (!one_id(a, &id) || a->approve == a->reject)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.decide_quota"));
    return cli_ws_status("enrol decide-quota", xjl_enrol_decide_quota(ws, id, a->approve));
}

static int admit(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "admit"))
        return CLI_EXIT_USAGE;
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.admit"));
    xjl_enrol_route route = XJL_ROUTE_UNIFIED;
    if (a->route && strcmp(a->route, "self") == 0)
        route = XJL_ROUTE_SELF;
    else if (a->route && strcmp(a->route, "unified") != 0)
        return cli_usage_error("enrol", cli_msg("ws.cli.bad_route"), a->route);
    int64_t id = 0, conflict = 0;
    int rc = xjl_enrol_admit(ws, a->school, a->y, a->pos[2], route, &id, &conflict);
    if (rc == XJL_OK) {
        printf("%lld\n", (long long)id);
        if (conflict) {
            xjl_listing *t = NULL;
            if (xjl_enrol_admission(ws, id, &t) == XJL_OK)
                fprintf(stderr, cli_msg("ws.cli.double_warning"), xjl_listing_value(t, 0, "note"),
                        (long long)id);
            xjl_listing_free(t);
            return CLI_EXIT_ROW_ERRORS; /* the warning shows in the exit status too */
        }
    }
    return cli_ws_status("enrol admit", rc);
}

static int assign(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "assign"))
        return CLI_EXIT_USAGE;
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.assign"));
    return cli_ws_status("enrol assign", xjl_enrol_assign(ws, a->school, a->y, a->pos[2]));
}

static int import_assigned(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "import-assigned"))
        return CLI_EXIT_USAGE;
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.import_assigned"));
    xjl_load_report rep = {0};
    int rc =
        xjl_enrol_import_assigned(ws, a->school, a->y, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.assigned_imported"), rep.rows, CLI_PLURAL(rep.rows),
                rep.inserted, rep.pending, rep.bad_rows);
    if (rc == XJL_OK && (rep.pending || rep.bad_rows))
        return CLI_EXIT_ROW_ERRORS;
    return cli_ws_status("enrol import-assigned", rc);
}

static int flow_step(xjl_workspace *ws, struct enrol_args *a, const char *sub)
{
    int64_t id;
    if (!one_id(a, &id))
        return cli_usage_error("enrol", cli_msg("ws.cli.usage.flow"), sub);
    int rc;
    if (strcmp(sub, "continue") == 0)
        rc = xjl_enrol_continue(ws, id);
    else if (strcmp(sub, "cancel") == 0)
        rc = xjl_enrol_cancel(ws, id, a->reason);
    else if (strcmp(sub, "delete") == 0)
        rc = xjl_enrol_delete(ws, id);
    else
        rc = xjl_enrol_transfer_archive(ws, id);
    return cli_ws_status("enrol", rc);
}

static int cont(xjl_workspace *ws, struct enrol_args *a)
{
    return flow_step(ws, a, "continue");
}
static int cancel(xjl_workspace *ws, struct enrol_args *a)
{
    return flow_step(ws, a, "cancel");
}
static int delete_flow(xjl_workspace *ws, struct enrol_args *a)
{
    return flow_step(ws, a, "delete");
}
static int archive(xjl_workspace *ws, struct enrol_args *a)
{
    return flow_step(ws, a, "transfer-archive");
}

static int school_transfer(xjl_workspace *ws, struct enrol_args *a)
{
    int64_t id, moved = 0;
    if (!one_id(a, &id) || !a->to)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.school_transfer"));
    int rc = xjl_enrol_school_transfer(ws, id, a->to, &moved);
    if (rc == XJL_OK)
        printf("%lld\n", (long long)moved);
    return cli_ws_status("enrol school-transfer", rc);
}

static int list(xjl_workspace *ws, struct enrol_args *a)
{
    if (!need_school_year(a, "list"))
        return CLI_EXIT_USAGE;
    xjl_listing *t = NULL;
    return cli_ws_print("enrol list", xjl_enrol_admissions(ws, a->school, a->y, &t), &t, a->out);
}

static int show(xjl_workspace *ws, struct enrol_args *a)
{
    int64_t id;
    if (!one_id(a, &id))
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.show"));
    xjl_listing *t = NULL;
    return cli_ws_print("enrol show", xjl_enrol_admission(ws, id, &t), &t, a->out);
}

static int doubles(xjl_workspace *ws, struct enrol_args *a)
{
    if (!a->year)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.double"));
    xjl_listing *t = NULL;
    return cli_ws_print("enrol double", xjl_enrol_double_admissions(ws, a->y, &t), &t, a->out);
}

static int stats(xjl_workspace *ws, struct enrol_args *a)
{
    if (!a->year)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.stats"));
    xjl_listing *t = NULL;
    size_t n = 0;
    int rc = xjl_enrol_statistics(ws, a->y, &t, &n);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.schools_counted"), n);
    return cli_ws_print("enrol stats", rc, &t, a->out);
}

static int requests(xjl_workspace *ws, struct enrol_args *a)
{
    xjl_listing *t = NULL;
    return cli_ws_print("enrol requests", xjl_enrol_quota_requests(ws, a->school, &t), &t, a->out);
}

static int resolve(xjl_workspace *ws, struct enrol_args *a)
{
    int64_t keep, cancel;
    if (a->npos != 4 || !cli_ws_row_id("enrol", a->pos[2], &keep) ||
        !cli_ws_row_id("enrol", a->pos[3], &cancel))
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.resolve"));
    return cli_ws_status("enrol resolve", xjl_enrol_resolve_double(ws, keep, cancel, a->reason));
}

static int review(xjl_workspace *ws, struct enrol_args *a)
{
    int64_t id;
    xjl_school_kind stage;
    if (!one_id(a, &id) || a->approve == a->reject || !a->stage)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.review"));
    if (xjl_school_kind_parse(a->stage, &stage) != XJL_OK)
        return cli_usage_error("enrol", "%s", xjl_errmsg());
    return cli_ws_status("enrol review", xjl_enrol_review(ws, id, stage, a->approve, a->reason));
}

static int audit(xjl_workspace *ws, struct enrol_args *a)
{
    long long id = 0;
    if (a->id && !cli_ws_number("enrol", "--id", a->id, 1, INT64_MAX, &id))
        return CLI_EXIT_USAGE;
    xjl_listing *t = NULL;
    return cli_ws_print("enrol audit", xjl_workspace_audit(ws, a->object, id, &t), &t, a->out);
}

static int schools(xjl_workspace *ws, struct enrol_args *a)
{
    xjl_listing *t = NULL;
    return cli_ws_print("enrol schools", xjl_school_list(ws, &t), &t, a->out);
}

static int init(xjl_workspace *ws, struct enrol_args *a)
{
    fprintf(stderr, cli_msg("ws.cli.created"), a->pos[1], xjl_workspace_schema_version(ws));
    return CLI_EXIT_OK;
}

static int policy(xjl_workspace *ws, struct enrol_args *a)
{
    return cli_ws_policy("enrol policy", ws, a->process, a->on, a->off, a->from, a->to_date,
                         a->out);
}

static const struct {
    const char *name;
    int (*run)(xjl_workspace *ws, struct enrol_args *a);
    bool reads; /* a listing: the workspace opened for reading only */
} subcommands[] = {
    {"load-graduates", load_graduates, false},
    {"graduate", graduate, true},
    {"restore", restore, false},
    {"delete-graduate", delete_graduate, false},
    {"school-kind", school_kind, false},
    {"quota", quota, false},
    {"request-quota", request_quota, false},
    {"decide-quota", decide_quota, false},
    {"admit", admit, false},
    {"import-assigned", import_assigned, false},
    {"continue", cont, false},
    {"cancel", cancel, false},
    {"delete", delete_flow, false},
    {"transfer-archive", archive, false},
    {"school-transfer", school_transfer, false},
    {"list", list, true},
    {"show", show, true},
    {"double", doubles, true},
    {"stats", stats, true},
    {"requests", requests, true},
    {"audit", audit, true},
    {"schools", schools, true},
    {"assign", assign, false},
    {"resolve", resolve, false},
    {"review", review, false},
    {"init", init, false},
    {"policy", policy, false},
};

static int cross_check(struct enrol_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.cross_check"));
    xjl_listing *t = NULL;
    int rc = xjl_enrol_cross_check(a->pos[1], a->pos[2], a->enc, cli_ws_diag, NULL, &t);
    if (rc == XJL_OK) {
        /* pupils, not rows: a senior row has a row per vocational row of
         * the pupil, one after the other */
        size_t n = 0;
        for (size_t r = 0; r < xjl_listing_rows(t); r++)
            n += r == 0 || strcmp(xjl_listing_value(t, r, "senior_line"),
                                  xjl_listing_value(t, r - 1, "senior_line")) != 0;
        fprintf(stderr, cli_msg("ws.cli.both_lists"), n, CLI_PLURAL(n));
    }
    /* the result never replaces either list it was made from */
    const char *lists[2] = {a->pos[1], a->pos[2]};
    return cli_ws_print_from("enrol cross-check", rc, &t, a->out, lists, 2);
}

int cmd_enrol(int argc, char **argv)
{
    struct enrol_args a = {0};
    const struct cli_opt opts[] = {
        {"operator", CLI_OPT_STRING, &a.operator_id},
        {"school", CLI_OPT_STRING, &a.school},
        {"year", CLI_OPT_STRING, &a.year},
        {"route", CLI_OPT_STRING, &a.route},
        {"encoding", CLI_OPT_STRING, &a.encoding},
        {"reason", CLI_OPT_STRING, &a.reason},
        {"out", CLI_OPT_STRING, &a.out},
        {"to", CLI_OPT_STRING, &a.to},
        {"kind", CLI_OPT_STRING, &a.kind},
        {"set", CLI_OPT_STRING, &a.set},
        {"quota", CLI_OPT_STRING, &a.quota},
        {"approve", CLI_OPT_FLAG, &a.approve},
        {"reject", CLI_OPT_FLAG, &a.reject},
        {"object", CLI_OPT_STRING, &a.object},
        {"id", CLI_OPT_STRING, &a.id},
        {"excel", CLI_OPT_FLAG, &a.excel},
        {"full-ids", CLI_OPT_FLAG, &a.full_ids},
        {"role", CLI_OPT_STRING, &a.role},
        {"stage", CLI_OPT_STRING, &a.stage},
        {"scope", CLI_OPT_STRING, &a.scope},
        {"process", CLI_OPT_STRING, &a.process},
        {"on", CLI_OPT_FLAG, &a.on},
        {"off", CLI_OPT_FLAG, &a.off},
        {"from", CLI_OPT_STRING, &a.from},
        {"to-date", CLI_OPT_STRING, &a.to_date},
    };
    int status;
    a.npos = cli_parse("enrol", cmd_enrol_help, argc, argv, opts, sizeof opts / sizeof opts[0],
                       a.pos, 8, &status);
    if (a.npos < 0)
        return status;
    if (a.npos < 2)
        return cli_usage_error("enrol", "%s", cli_msg("ws.cli.usage.subcommand"));
    if (cli_encoding_arg("enrol", a.encoding, &a.enc) != 0)
        return CLI_EXIT_USAGE;
    long long year = 0;
    if (a.year && !cli_ws_number("enrol", "--year", a.year, 2000, 2100, &year))
        return CLI_EXIT_USAGE;
    a.y = (int)year;
    cli_ws_view(a.excel, a.full_ids);
    if (strcmp(a.pos[0], "cross-check") == 0)
        return cross_check(&a);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(a.pos[0], subcommands[i].name) != 0)
            continue;
        xjl_workspace *ws = NULL;
        cli_ws_who(a.role, a.scope);
        bool reads = subcommands[i].reads || (subcommands[i].run == quota && !a.set) ||
                     (subcommands[i].run == policy && !a.process);
        int rc = cli_ws_open("enrol", a.pos[1], a.operator_id,
                             subcommands[i].run == init ? CLI_WS_CREATE
                             : reads                    ? CLI_WS_READ
                                                        : CLI_WS_WRITE,
                             &ws);
        if (rc != CLI_EXIT_OK)
            return rc;
        rc = subcommands[i].run(ws, &a);
        xjl_workspace_close(ws);
        return rc;
    }
    return cli_usage_error("enrol", cli_msg("ws.cli.unknown_subcommand"), a.pos[0]);
}
