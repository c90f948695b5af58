/*
 * xjlink intake SUBCOMMAND WS.db ...: the primary intake workflow over a
 * workspace file, one library call per subcommand.  Also the helpers the
 * workspace commands share (cmd_enrol.c uses them): opening a workspace
 * with an operator, printing a table, the exit status of a step.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared by the workspace commands ---------------------------------------- */

/* The workspace this run opened (one a run): a listing's --out must not be it. */
static const char *ws_path;

static struct {
    const char *role, *scope;
} who;

/* --columns: the key columns of the CSV files the workspace reads. */
static const char *ws_columns;

void cli_ws_columns(const char *mapping)
{
    ws_columns = mapping;
}

void cli_ws_who(const char *role, const char *scope)
{
    who.role = role;
    who.scope = scope;
}

static int cli_ws_set_role(const char *cmd, xjl_workspace *ws)
{
    xjl_role r;
    if (xjl_role_parse(who.role, &r) != XJL_OK ||
        xjl_workspace_set_role(ws, r, who.scope) != XJL_OK)
        return cli_usage_error(cmd, "%s", xjl_errmsg());
    return CLI_EXIT_OK;
}

int cli_ws_policy(const char *cmd, xjl_workspace *ws, const char *process, bool on, bool off,
                  const char *from, const char *to, const char *out)
{
    if (process) {
        if (on == off)
            return cli_usage_error(cmd, "%s", cli_msg("ws.cli.policy_on_off"));
        int32_t a = XJL_DATE_NONE, b = XJL_DATE_NONE;
        if ((from && xjl_date_parse(from, XJL_NTS, &a, NULL) != XJL_OK) ||
            (to && xjl_date_parse(to, XJL_NTS, &b, NULL) != XJL_OK))
            return cli_usage_error(cmd, cli_msg("ws.cli.not_date"),
                                   from && a == XJL_DATE_NONE ? from : to);
        int rc = xjl_workspace_set_policy(ws, process, on, a, b);
        if (rc != XJL_OK)
            return cli_ws_status(cmd, rc);
    } else if (on || off || from || to) {
        return cli_usage_error(cmd, "%s", cli_msg("ws.cli.policy_process"));
    }
    xjl_listing *t = NULL;
    return cli_ws_print(cmd, xjl_workspace_policy(ws, &t), &t, out);
}

int cli_ws_open(const char *cmd, const char *path, const char *operator_id, enum cli_ws_mode mode,
                xjl_workspace **ws)
{
    bool create = mode == CLI_WS_CREATE;
    /* Only an explicit init creates a workspace: a mistyped path must not
     * become a new, empty one that every listing reports as "nothing". */
    if (!create && access(path, F_OK) != 0)
        return cli_fail(cmd, CLI_EXIT_USAGE, cli_msg("ws.cli.no_workspace"), path, cmd, path);
    if (create && access(path, F_OK) == 0)
        return cli_fail(cmd, CLI_EXIT_USAGE, cli_msg("ws.cli.exists"), path);
    int rc = mode == CLI_WS_READ ? xjl_workspace_open_read(ws, path) : xjl_workspace_open(ws, path);
    if (rc != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_USAGE, "%s: %s", path, xjl_errmsg());
    ws_path = path;
    xjl_workspace_set_operator(*ws, operator_id);
    if (ws_columns && xjl_workspace_set_columns(*ws, ws_columns) != XJL_OK)
        rc = cli_usage_error(cmd, "%s", xjl_errmsg());
    else if (who.role)
        rc = cli_ws_set_role(cmd, *ws);
    if (rc != CLI_EXIT_OK) {
        xjl_workspace_close(*ws);
        *ws = NULL;
    }
    return rc;
}

bool cli_ws_number(const char *cmd, const char *opt, const char *arg, long long min, long long max,
                   long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || !*arg || *end || errno || v < min || v > max) {
        cli_usage_error(cmd, cli_msg("ws.cli.not_number"), opt, arg ? arg : "", min, max);
        return false;
    }
    *out = v;
    return true;
}

int cli_ws_status(const char *cmd, int rc)
{
    if (rc == XJL_OK)
        return CLI_EXIT_OK;
    fprintf(stderr, "xjlink %s: %s: %s\n", cmd, xjl_strerror_lang(rc, cli_lang), xjl_errmsg());
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

int cli_ws_load_status(const char *cmd, int rc, const xjl_load_report *rep)
{
    /* Rows refused or warned about show in the exit status, not only on stderr. */
    if (rc == XJL_OK && (rep->bad_rows || rep->warnings))
        return CLI_EXIT_ROW_ERRORS;
    return cli_ws_status(cmd, rc);
}

static struct {
    bool excel, full_ids;
} view;

void cli_ws_view(bool excel, bool full_ids)
{
    view.excel = excel;
    view.full_ids = full_ids;
}

/* The bytes of the UTF-8 sequence that starts with c (1 for a stray byte:
 * the workspace stores what was read, and what was read was valid). */
static size_t seq_bytes(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* A character of a citizen number as people type it: a digit or X, ASCII
 * or full-width (０-９ are EF BC 90-99, Ｘ EF BC B8, ｘ EF BD 98). */
static bool id_char(const char *p, size_t len)
{
    unsigned char a = (unsigned char)p[0];
    if (len == 1)
        return (a >= '0' && a <= '9') || a == 'X' || a == 'x';
    if (len != 3 || a != 0xEF)
        return false;
    unsigned char b = (unsigned char)p[1], c = (unsigned char)p[2];
    return (b == 0xBC && ((c >= 0x90 && c <= 0x99) || c == 0xB8)) || (b == 0xBD && c == 0x98);
}

/* Personal data: a citizen number (a run of 15 to 18 digits, in a G number
 * too) keeps its first 6 and last 4 characters; a whole ID-number column
 * any other number's first and last 2.  Characters, not bytes: a number
 * typed in full-width digits is masked as one in ASCII, and each hidden
 * character becomes one '*', so the cell stays valid UTF-8. */
static void mask(const char *col, const char *v, char *out, size_t cap)
{
    enum { MAX_CELL = 4096 }; /* a listing's cell, as cli_ws_print gives it */
    v = v ? v : "";
    size_t n = strlen(v), limit = cap < MAX_CELL ? cap : MAX_CELL;
    if (n >= limit) /* cut at a character's start, never inside one */
        for (n = limit - 1; n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80; n--)
            ;
    if (view.full_ids) {
        memcpy(out, v, n);
        out[n] = '\0';
        return;
    }
    /* where each character starts, and whether it is a digit of a number */
    size_t start[MAX_CELL + 1];
    bool digit[MAX_CELL], hide[MAX_CELL] = {false};
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++) {
        size_t len = seq_bytes((unsigned char)v[i]);
        len = len <= n - i ? len : n - i;
        start[chars] = i;
        digit[chars] = id_char(v + i, len);
        i += len;
    }
    start[chars] = n;
    size_t cl = strlen(col);
    bool id_col = cl >= 9 && strcmp(col + cl - 9, "id_number") == 0;
    bool masked = false;
    for (size_t i = 0; i < chars;) {
        size_t j = i;
        while (j < chars && digit[j])
            j++;
        if (j - i >= 15 && j - i <= 18 && (i == 0 || !digit[i - 1])) {
            for (size_t k = i + 6; k < j - 4; k++)
                hide[k] = true;
            masked = true;
        }
        i = j > i ? j : i + 1;
    }
    if (id_col && !masked && chars > 4)
        for (size_t k = 2; k < chars - 2; k++)
            hide[k] = true;
    size_t o = 0;
    for (size_t k = 0; k < chars; k++) {
        if (hide[k]) {
            out[o++] = '*';
        } else {
            memcpy(out + o, v + start[k], start[k + 1] - start[k]);
            o += start[k + 1] - start[k];
        }
    }
    out[o] = '\0';
}

int cli_ws_print(const char *cmd, int rc, xjl_listing **listing, const char *out_path)
{
    return cli_ws_print_from(cmd, rc, listing, out_path, &ws_path, 1);
}

int cli_ws_print_from(const char *cmd, int rc, xjl_listing **listing, const char *out_path,
                      const char *const *inputs, size_t ninputs)
{
    /* Through a pointer: the listing is read after the call that filled it. */
    xjl_listing *t = *listing;
    *listing = NULL;
    if (rc != XJL_OK)
        return cli_ws_status(cmd, rc);
    struct cli_out *o = cli_out_open_from(cmd, out_path ? out_path : "-",
                                          view.excel ? XJL_CSV_EXCEL : 0, inputs, ninputs);
    if (!o) {
        xjl_listing_free(t);
        return CLI_EXIT_FAIL;
    }
    rc = cli_ws_write(o, t);
    xjl_listing_free(t);
    int closed = cli_out_close(o);
    return closed != CLI_EXIT_OK ? closed : rc;
}

/* A listing's column name or state word in the run's language: the
 * catalogue's "column.NAME" or "value.WORD"; as it is when the catalogue has
 * none (a code, an id, a number). */
static const char *ws_word(const char *kind, const char *word)
{
    char id[96];
    if (cli_lang != XJL_LANG_ZH || snprintf(id, sizeof id, "%s.%s", kind, word) >= (int)sizeof id ||
        !xjl_message_exists(id))
        return word;
    return cli_msg(id);
}

/* The columns whose cells are state words (the stored English forms). */
static bool state_column(const char *col)
{
    static const char *const cols[] = {
        "status", "supplement",   "review",           "state", "route", "kind",
        "stage",  "senior_state", "vocational_state", "result"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(col, cols[i]) == 0)
            return true;
    return false;
}

/* One word of a row's reasons or findings in the run's language:
 * "name=pinyin" (a comparison level) → 姓名同音, "record:gender_mismatch"
 * (a finding of a field) → 记录：性别与证件号不符; any other word as it is. */
static const char *code_word(const char *w, char *buf, size_t cap)
{
    const char *eq = strchr(w, '='), *colon = strchr(w, ':');
    char id[96];
    if (eq && snprintf(id, sizeof id, "level.%.*s.%s", (int)(eq - w), w, eq + 1) < (int)sizeof id &&
        xjl_message_exists(id))
        return cli_msg(id);
    for (int f = 0; colon && f < XJL_FIELD_COUNT; f++) {
        const char *name = xjl_field_name((xjl_field)f);
        if (strlen(name) != (size_t)(colon - w) || strncmp(name, w, strlen(name)) != 0)
            continue;
        for (int c = 1; c < XJL_F_COUNT; c++)
            if (strcmp(colon + 1, xjl_finding_name((xjl_finding)c)) == 0) {
                snprintf(buf, cap, "%s：%s", xjl_field_label((xjl_field)f, cli_lang),
                         xjl_finding_message((xjl_finding)c, cli_lang));
                return buf;
            }
    }
    return w;
}

/* A cell of codes ("id=exact name=pinyin", "record:gender_mismatch
 * id_number:number_held") in words under --lang zh, joined by 、. */
static const char *code_words(const char *v, char *out, size_t cap)
{
    if (cli_lang != XJL_LANG_ZH || !*v)
        return v;
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = v; *p && n + 1 < cap;) {
        size_t len = strcspn(p, " ,;");
        char w[256], buf[512];
        size_t wl = len < sizeof w ? len : sizeof w - 1;
        memcpy(w, p, wl); /* not "%.*s": GCC's ASan build calls p a null argument */
        w[wl] = '\0';
        if (len) {
            int k =
                snprintf(out + n, cap - n, "%s%s", n ? "、" : "", code_word(w, buf, sizeof buf));
            n += k > 0 && (size_t)k < cap - n ? (size_t)k : 0;
        }
        p += len;
        p += strspn(p, " ,;");
    }
    return out;
}

/* A stored sentence (a history's detail, a note) with the codes in it
 * ("id=exact", "record:gender_mismatch") put in words under --lang zh, the
 * rest as it is. */
static const char *codes_in_text(const char *v, char *out, size_t cap)
{
    if (cli_lang != XJL_LANG_ZH || (!strchr(v, '=') && !strchr(v, ':')))
        return v;
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = v; *p && n + 1 < cap;) {
        size_t sep = strspn(p, " ,;()（），；");
        size_t len = sep ? 0 : strcspn(p, " ,;()（），；");
        char w[256], buf[512];
        const char *text = w;
        if (sep) {
            snprintf(w, sizeof w, "%.*s", (int)(sep < sizeof w ? sep : sizeof w - 1), p);
        } else {
            size_t wl = len < sizeof w ? len : sizeof w - 1;
            memcpy(w, p, wl); /* not "%.*s": GCC's ASan build calls p a null argument */
            w[wl] = '\0';
            text = code_word(w, buf, sizeof buf);
        }
        int k = snprintf(out + n, cap - n, "%s", text);
        n += k > 0 && (size_t)k < cap - n ? (size_t)k : 0;
        p += sep + len;
    }
    return out;
}

int cli_ws_write(struct cli_out *o, const xjl_listing *t)
{
    for (size_t c = 0; c < xjl_listing_cols(t); c++)
        cli_out_field(o, ws_word("column", xjl_listing_col_name(t, c)), XJL_NTS);
    cli_out_end_row(o);
    for (size_t r = 0; r < xjl_listing_rows(t); r++) {
        for (size_t c = 0; c < xjl_listing_cols(t); c++) {
            const char *col = xjl_listing_col_name(t, c), *v = xjl_listing_get(t, r, c);
            char cell[4096], words[4096];
            if (strcmp(col, "reasons") == 0 || strcmp(col, "findings") == 0)
                v = code_words(v, words, sizeof words);
            else if (strcmp(col, "detail") == 0 || strcmp(col, "note") == 0 ||
                     strcmp(col, "result") == 0)
                v = codes_in_text(v, words, sizeof words);
            else if (strcmp(col, "action") == 0 || strcmp(col, "object") == 0)
                v = ws_word(col, v); /* the stored step and object names */
            else if (strcmp(col, "field") == 0)
                v = ws_word("column", v); /* a supplement field's name */
            else if ((strcmp(col, "operator") == 0 || strcmp(col, "decided_by") == 0) &&
                     strcmp(v, "unknown") == 0)
                v = ws_word("value", v); /* no operator given */
            mask(col, state_column(col) ? ws_word("value", v) : v, cell, sizeof cell);
            cli_out_field(o, cell, XJL_NTS);
        }
        cli_out_end_row(o);
    }
    return CLI_EXIT_OK;
}

bool cli_ws_row_id(const char *cmd, const char *arg, int64_t *out)
{
    char *end = NULL;
    long long v = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || !*arg || *end || v <= 0) {
        cli_usage_error(cmd, cli_msg("ws.cli.not_row_id"), arg ? arg : "");
        return false;
    }
    *out = v;
    return true;
}

/* ---- intake --------------------------------------------------------------------- */

void cmd_intake_help(FILE *out)
{
    fputs(cli_msg("help.intake"), out);
    fputs(cli_msg("help.intake.options"), out); /* two texts: C limits a literal's length */
}

struct intake_args {
    const char *operator_id, *school, *status, *encoding, *reason, *out;
    const char *name, *gender, *birth_date, *id_type, *id_number;
    const char *region, *identifier, *object, *id;
    bool done, excel, full_ids, on, off, approve, reject;
    const char *role, *scope, *process, *from, *to_date, *grade, *proof, *columns;
    char *pos[64];
    int npos;
    xjl_encoding enc;
};

static int load_registry(xjl_workspace *ws, struct intake_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.load_registry"));
    xjl_load_report rep = {0};
    int rc = xjl_intake_load_registry(ws, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.loaded"), rep.rows, CLI_PLURAL(rep.rows), rep.inserted,
                rep.updated, rep.unchanged, rep.bad_rows);
    return cli_ws_load_status("intake load-registry", rc, &rep);
}

static int need_school(struct intake_args *a, const char *sub)
{
    if (!a->school || !*a->school)
        return cli_usage_error("intake", cli_msg("ws.cli.needs_school"), sub);
    return CLI_EXIT_OK;
}

static int school(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "school");
    if (rc != CLI_EXIT_OK)
        return rc;
    long long region = 0;
    if (a->region && !cli_ws_number("intake", "--region", a->region, 110000, 999999, &region))
        return CLI_EXIT_USAGE;
    return cli_ws_status("intake school",
                         xjl_school_set(ws, a->school, a->name, (int32_t)region, a->identifier));
}

static int schools(xjl_workspace *ws, struct intake_args *a)
{
    xjl_listing *t = NULL;
    return cli_ws_print("intake schools", xjl_school_list(ws, &t), &t, a->out);
}

static int init(xjl_workspace *ws, struct intake_args *a)
{
    fprintf(stderr, cli_msg("ws.cli.created"), a->pos[1], xjl_workspace_schema_version(ws));
    return CLI_EXIT_OK;
}

static int import(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "import");
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a->npos != 3)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.import"));
    xjl_load_report rep = {0};
    rc = xjl_intake_import(ws, a->school, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.imported"), rep.inserted, CLI_PLURAL(rep.inserted),
                rep.matched, rep.pending, rep.not_found, rep.errors, rep.bad_rows);
    return cli_ws_load_status("intake import", rc, &rep);
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
    rc = xjl_intake_list(ws, a->school, a->status ? st : XJL_ROW_ANY, &t);
    return cli_ws_print("intake list", rc, &t, a->out);
}

static int show(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    /* Three tables, one output, a blank line between them. */
    xjl_listing *t[3] = {NULL, NULL, NULL};
    int rc = xjl_intake_row(ws, row, &t[0]);
    if (rc == XJL_OK)
        rc = xjl_intake_candidates(ws, row, &t[1]);
    if (rc == XJL_OK)
        rc = xjl_intake_history(ws, row, &t[2]);
    struct cli_out *o = NULL;
    int status = rc == XJL_OK ? CLI_EXIT_OK : cli_ws_status("intake show", rc);
    /* never over the workspace; --excel as every listing */
    if (status == CLI_EXIT_OK &&
        !(o = cli_out_open_from("intake show", a->out ? a->out : "-",
                                view.excel ? XJL_CSV_EXCEL : 0, &ws_path, 1)))
        status = CLI_EXIT_FAIL;
    for (int i = 0; i < 3 && o; i++) {
        if (i)
            cli_out_end_row(o);
        cli_ws_write(o, t[i]);
    }
    if (o)
        status = cli_out_close(o);
    for (int i = 0; i < 3; i++)
        xjl_listing_free(t[i]);
    return status;
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
        printf("%lld,%s,%s\n", (long long)row, xjl_row_status_name(st),
               xjl_row_status_label_zh(st));
    return cli_ws_status("intake edit", rc);
}

static int confirm(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 4 || !cli_ws_row_id("intake", a->pos[2], &row))
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.confirm"));
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
    xjl_sfield fields[64];
    const char *values[64];
    size_t n = 0;
    for (int i = 3; i < a->npos; i++, n++) {
        char *eq = strchr(a->pos[i], '=');
        if (!eq)
            return cli_usage_error("intake", cli_msg("ws.cli.not_field_value"), a->pos[i]);
        *eq = '\0';
        if (xjl_sfield_parse(a->pos[i], &fields[n]) != XJL_OK)
            return cli_usage_error("intake", "%s", xjl_errmsg());
        values[n] = eq + 1;
    }
    if (n) {
        int rc = xjl_intake_supplement_update(ws, row, fields, values, n);
        if (rc != XJL_OK)
            return cli_ws_status("intake supplement", rc);
    }
    if (a->done) {
        int rc = xjl_intake_supplement_save(ws, row);
        if (rc != XJL_OK) {
            int status = cli_ws_status("intake supplement", rc);
            /* the values were a step of their own, committed before */
            if (n)
                fprintf(stderr, cli_msg("ws.cli.supplement_kept"), n, CLI_PLURAL(n));
            return status;
        }
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
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.export_not_found"));
    if (cli_is_xlsx_path(a->pos[2]))
        return cli_usage_error("intake", cli_msg("ws.cli.export_csv"), "export-not-found",
                               a->pos[2]);
    size_t n = 0;
    rc = xjl_intake_export_not_found(ws, a->school, a->pos[2], &n);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.not_found_written"), n, CLI_PLURAL(n), a->pos[2]);
    return cli_ws_status("intake export-not-found", rc);
}

static int submit(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "submit");
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t n = 0;
    rc = xjl_intake_submit(ws, a->school, &n);
    if (rc != XJL_OK)
        return cli_ws_status("intake submit", rc);
    /* What stays behind, and why, so that the school knows what is left. */
    xjl_listing *t = NULL;
    size_t behind = 0;
    if (xjl_intake_list(ws, a->school, XJL_ROW_ANY, &t) == XJL_OK) {
        for (size_t r = 0; r < xjl_listing_rows(t); r++) {
            const char *review = xjl_listing_value(t, r, "review");
            if (strcmp(review, "submitted") == 0 || strcmp(review, "approved") == 0)
                continue;
            behind++;
            const char *why = strcmp(review, "returned") == 0 ? "ws.cli.stays.returned"
                              : strcmp(xjl_listing_value(t, r, "status"), "pending") == 0
                                  ? "ws.cli.stays.pending"
                              : strcmp(xjl_listing_value(t, r, "status"), "error") == 0
                                  ? "ws.cli.stays.error"
                                  : "ws.cli.stays.supplement";
            fprintf(stderr, cli_msg("ws.cli.stays"), xjl_listing_value(t, r, "id"),
                    xjl_listing_value(t, r, "name"), cli_msg(why));
        }
    }
    xjl_listing_free(t);
    fprintf(stderr, cli_msg("ws.cli.submitted"), n, CLI_PLURAL(n), behind, behind == 1 ? "s" : "");
    return CLI_EXIT_OK;
}

static int return_row(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    if (!a->reason || !*a->reason)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.return"));
    return cli_ws_status("intake return", xjl_intake_return(ws, row, a->reason));
}

static int override(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &row))
        return CLI_EXIT_USAGE;
    if (!a->reason || !*a->reason)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.override"));
    return cli_ws_status("intake override", xjl_intake_override(ws, row, a->reason));
}

static int approve(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "approve");
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t ok = 0, back = 0, held = 0;
    rc = xjl_intake_approve(ws, a->school, &ok, &back, &held);
    if (rc != XJL_OK)
        return cli_ws_status("intake approve", rc);
    fprintf(stderr, cli_msg("ws.cli.approved"), ok, back, held);
    /* A row not numbered shows in the exit status too. */
    return back + held ? CLI_EXIT_ROW_ERRORS : CLI_EXIT_OK;
}

static int audit(xjl_workspace *ws, struct intake_args *a)
{
    xjl_listing *t = NULL;
    long long id = 0;
    if (a->id && !cli_ws_number("intake", "--id", a->id, 1, INT64_MAX, &id))
        return CLI_EXIT_USAGE;
    return cli_ws_print("intake audit", xjl_workspace_audit(ws, a->object, id, &t), &t, a->out);
}

static int key_change(xjl_workspace *ws, struct intake_args *a)
{
    int64_t row;
    if (a->npos != 4 || !cli_ws_row_id("intake", a->pos[2], &row))
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.key_change"));
    char *eq = strchr(a->pos[3], '=');
    if (!eq)
        return cli_usage_error("intake", cli_msg("ws.cli.not_field_value"), a->pos[3]);
    *eq = '\0';
    xjl_sfield f;
    if (xjl_sfield_parse(a->pos[3], &f) != XJL_OK)
        return cli_usage_error("intake", "%s", xjl_errmsg());
    int64_t id = 0;
    int rc = xjl_intake_request_key_change(ws, row, f, eq + 1, a->reason, &id);
    if (rc == XJL_OK)
        printf("%lld\n", (long long)id);
    return cli_ws_status("intake key-change", rc);
}

static int decide_key_change(xjl_workspace *ws, struct intake_args *a)
{
    int64_t id;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &id) || a->approve == a->reject)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.decide_key_change"));
    return cli_ws_status("intake decide-key-change",
                         xjl_intake_decide_key_change(ws, id, a->approve, a->reason));
}

static int key_changes(xjl_workspace *ws, struct intake_args *a)
{
    xjl_listing *t = NULL;
    return cli_ws_print("intake key-changes", xjl_intake_key_changes(ws, a->school, &t), &t,
                        a->out);
}

static int reg_request(xjl_workspace *ws, struct intake_args *a)
{
    int rc = need_school(a, "register");
    if (rc != CLI_EXIT_OK)
        return rc;
    long long grade = 0;
    if (!a->grade || !cli_ws_number("intake", "--grade", a->grade, 2, 12, &grade))
        return a->grade ? CLI_EXIT_USAGE
                        : cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.register"));
    xjl_record rec = {a->name, a->gender, a->birth_date, a->id_type, a->id_number};
    int64_t id = 0;
    rc = xjl_reg_request(ws, a->school, &rec, (int)grade, &id);
    if (rc == XJL_OK)
        printf("%lld\n", (long long)id);
    return cli_ws_status("intake register", rc);
}

static int reg_proof(xjl_workspace *ws, struct intake_args *a)
{
    int64_t id;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &id) || !a->proof)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.proof"));
    return cli_ws_status("intake proof", xjl_reg_proof(ws, id, a->proof));
}

static int reg_decide(xjl_workspace *ws, struct intake_args *a)
{
    int64_t id;
    if (a->npos != 3 || !cli_ws_row_id("intake", a->pos[2], &id) || a->approve == a->reject)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.decide_register"));
    return cli_ws_status("intake decide-register", xjl_reg_decide(ws, id, a->approve, a->reason));
}

static int registrations(xjl_workspace *ws, struct intake_args *a)
{
    xjl_listing *t = NULL;
    return cli_ws_print("intake registrations", xjl_reg_list(ws, a->school, &t), &t, a->out);
}

static int export_check(xjl_workspace *ws, struct intake_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.export_check"));
    if (cli_is_xlsx_path(a->pos[2]))
        return cli_usage_error("intake", cli_msg("ws.cli.export_csv"), "export-check", a->pos[2]);
    size_t n = 0;
    int rc = xjl_reg_export_check(ws, a->pos[2], &n);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.check_written"), n, CLI_PLURAL(n), a->pos[2]);
    return cli_ws_status("intake export-check", rc);
}

static int import_check(xjl_workspace *ws, struct intake_args *a)
{
    if (a->npos != 3)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.import_check"));
    xjl_load_report rep = {0};
    int rc = xjl_reg_import_result(ws, a->pos[2], a->enc, cli_ws_diag, NULL, &rep);
    if (rc == XJL_OK)
        fprintf(stderr, cli_msg("ws.cli.check_result"), rep.matched, rep.not_found, rep.updated,
                rep.unchanged, rep.bad_rows);
    return cli_ws_load_status("intake import-check", rc, &rep);
}

static int policy(xjl_workspace *ws, struct intake_args *a)
{
    return cli_ws_policy("intake policy", ws, a->process, a->on, a->off, a->from, a->to_date,
                         a->out);
}

static const struct {
    const char *name;
    int (*run)(xjl_workspace *ws, struct intake_args *a);
    bool reads; /* a listing: the workspace opened for reading only */
} subcommands[] = {
    {"load-registry", load_registry, false},
    {"school", school, false},
    {"import", import, false},
    {"list", list, true},
    {"show", show, true},
    {"edit", edit, false},
    {"confirm", confirm, false},
    {"none", none, false},
    {"delete", delete_row, false},
    {"supplement", supplement, false},
    {"export-not-found", export_not_found, false},
    {"submit", submit, false},
    {"return", return_row, false},
    {"approve", approve, false},
    {"audit", audit, true},
    {"override", override, false},
    {"schools", schools, true},
    {"init", init, false},
    {"policy", policy, false},
    {"key-change", key_change, false},
    {"decide-key-change", decide_key_change, false},
    {"key-changes", key_changes, true},
    {"register", reg_request, false},
    {"proof", reg_proof, false},
    {"decide-register", reg_decide, false},
    {"registrations", registrations, true},
    {"export-check", export_check, false},
    {"import-check", import_check, false},
};

int cmd_intake(int argc, char **argv)
{
    struct intake_args a = {0};
    const struct cli_opt opts[] = {
        {"operator", CLI_OPT_STRING, &a.operator_id},
        {"school", CLI_OPT_STRING, &a.school},
        {"status", CLI_OPT_STRING, &a.status},
        {"encoding", CLI_OPT_STRING, &a.encoding},
        {"reason", CLI_OPT_STRING, &a.reason},
        {"out", CLI_OPT_STRING, &a.out},
        {"name", CLI_OPT_STRING, &a.name},
        {"gender", CLI_OPT_STRING, &a.gender},
        {"birth-date", CLI_OPT_STRING, &a.birth_date},
        {"id-type", CLI_OPT_STRING, &a.id_type},
        {"id-number", CLI_OPT_STRING, &a.id_number},
        {"region", CLI_OPT_STRING, &a.region},
        {"identifier", CLI_OPT_STRING, &a.identifier},
        {"object", CLI_OPT_STRING, &a.object},
        {"id", CLI_OPT_STRING, &a.id},
        {"done", CLI_OPT_FLAG, &a.done},
        {"excel", CLI_OPT_FLAG, &a.excel},
        {"full-ids", CLI_OPT_FLAG, &a.full_ids},
        {"role", CLI_OPT_STRING, &a.role},
        {"scope", CLI_OPT_STRING, &a.scope},
        {"process", CLI_OPT_STRING, &a.process},
        {"on", CLI_OPT_FLAG, &a.on},
        {"off", CLI_OPT_FLAG, &a.off},
        {"from", CLI_OPT_STRING, &a.from},
        {"to-date", CLI_OPT_STRING, &a.to_date},
        {"approve", CLI_OPT_FLAG, &a.approve},
        {"reject", CLI_OPT_FLAG, &a.reject},
        {"grade", CLI_OPT_STRING, &a.grade},
        {"proof", CLI_OPT_STRING, &a.proof},
        {"columns", CLI_OPT_STRING, &a.columns},
    };
    int status;
    a.npos = cli_parse("intake", cmd_intake_help, argc, argv, opts, sizeof opts / sizeof opts[0],
                       a.pos, 64, &status);
    if (a.npos < 0)
        return status;
    if (a.npos < 2)
        return cli_usage_error("intake", "%s", cli_msg("ws.cli.usage.subcommand"));
    if (cli_encoding_arg("intake", a.encoding, &a.enc) != 0)
        return CLI_EXIT_USAGE;
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(a.pos[0], subcommands[i].name) != 0)
            continue;
        xjl_workspace *ws = NULL;
        cli_ws_view(a.excel, a.full_ids);
        cli_ws_who(a.role, a.scope);
        cli_ws_columns(a.columns);
        bool reads = subcommands[i].reads || (subcommands[i].run == policy && !a.process);
        int rc = cli_ws_open("intake", a.pos[1], a.operator_id,
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
    return cli_usage_error("intake", cli_msg("ws.cli.unknown_subcommand"), a.pos[0]);
}
