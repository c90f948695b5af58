/*
 * states.c: the names of the workflows' states and kinds, in English (the
 * stored and scripted form) and Chinese (what a school reads).  store.c
 * registers them as SQL functions so that listings name what they show.
 */
#include "workspace/workspace.h"

#include <string.h>

/* ---- intake ----------------------------------------------------------------- */

static const char *const status_names[] = {"matched", "pending", "not_found", "error", "confirmed"};
static const char *const status_labels[] = {"已匹配学前学籍", "待确认学前学籍", "未查到学前学籍",
                                            "错误", "已确认学前学籍"};

XJL_API const char *xjl_row_status_name(xjl_row_status status)
{
    int s = (int)status;
    return (s >= 0 && s < (int)XJL_ARRAY_LEN(status_names)) ? status_names[s] : "unknown";
}

XJL_API const char *xjl_row_status_label_zh(xjl_row_status status)
{
    int s = (int)status;
    return (s >= 0 && s < (int)XJL_ARRAY_LEN(status_labels)) ? status_labels[s] : "未知";
}

XJL_API int xjl_row_status_parse(const char *s, xjl_row_status *out)
{
    for (size_t i = 0; s && out && i < XJL_ARRAY_LEN(status_names); i++) {
        if (strcmp(s, status_names[i]) == 0 || strcmp(s, status_labels[i]) == 0 ||
            (strcmp(s, "not-found") == 0 && i == XJL_ROW_NOT_FOUND)) {
            *out = (xjl_row_status)i;
            return XJL_OK;
        }
    }
    return xjl__failm(XJL_EINVAL, "ws.states.not_status", s ? s : "(null)");
}

const char *xjl__supplement_name(int state)
{
    static const char *const names[] = {"none", "draft", "done"};
    return (state >= 0 && state < 3) ? names[state] : "unknown";
}

const char *xjl__review_name(int review)
{
    return xjl__state_name(XJL__FLOW_ROW, review);
}

/* ---- enrolment ------------------------------------------------------------------ */

static const char *const kind_names[] = {"unknown", "primary", "junior", "senior", "vocational"};
static const char *const kind_labels[] = {"未知", "小学", "初中", "普通高中", "中职"};

XJL_API const char *xjl_school_kind_name(xjl_school_kind kind)
{
    int k = (int)kind;
    return (k >= 0 && k < 5) ? kind_names[k] : "unknown";
}

XJL_API int xjl_school_kind_parse(const char *s, xjl_school_kind *out)
{
    for (int k = 1; s && out && k < 5; k++) {
        if (strcmp(s, kind_names[k]) == 0 || strcmp(s, kind_labels[k]) == 0 ||
            (k == XJL_SCHOOL_SENIOR && strcmp(s, "高中") == 0) ||
            (k == XJL_SCHOOL_VOCATIONAL && strcmp(s, "中等职业学校") == 0)) {
            *out = (xjl_school_kind)k;
            return XJL_OK;
        }
    }
    return xjl__failm(XJL_EINVAL, "ws.states.not_kind", s ? s : "(null)");
}

XJL_API const char *xjl_enrol_route_name(xjl_enrol_route route)
{
    static const char *const names[] = {"unified", "self", "transfer"};
    int r = (int)route;
    return (r >= 0 && r < 3) ? names[r] : "unknown";
}

const char *xjl__admission_state_name(int state)
{
    return xjl__state_name(XJL__FLOW_ADMISSION, state);
}

/* ---- the state machines ------------------------------------------------------ */

/* Every workflow's state machine is the one table below: a step function
 * looks its (state, action) pair up before it changes anything, so that no
 * step can be taken from a state the table does not list, and
 * docs/workflows.md shows the same table (test_states renders it from here
 * and compares).  Conditions that depend on more than the state (a
 * supplement done, a number free, a quota not full) stay in the step and
 * are named in the `when` column so that the docs say them. */

static const char *const flow_names[XJL__FLOW_COUNT] = {
    [XJL__FLOW_ROW] = "row",
    [XJL__FLOW_KEY_CHANGE] = "key-change",
    [XJL__FLOW_REGISTRATION] = "registration",
    [XJL__FLOW_ADMISSION] = "admission",
    [XJL__FLOW_QUOTA] = "quota-request",
    [XJL__FLOW_GRADUATE] = "graduate",
};

/* The states of each flow, in the order of its enum (stored as that number,
 * or as the name for the flows stored as text). */
static const char *const flow_states[XJL__FLOW_COUNT][8] = {
    [XJL__FLOW_ROW] = {"open", "submitted", "returned", "approved", "deleted"},
    [XJL__FLOW_KEY_CHANGE] = {"open", "approved", "rejected"},
    [XJL__FLOW_REGISTRATION] = {"queued", "proof", "checking", "registered", "refused"},
    [XJL__FLOW_ADMISSION] = {"pending", "admitted", "cancelled", "done", "moved", "deleted"},
    [XJL__FLOW_QUOTA] = {"open", "approved", "rejected"},
    [XJL__FLOW_GRADUATE] = {"in_pool", "archived", "deleted"},
};

#define ROW_ST(s) (1u << (s))
#define ROW_EDITABLE (ROW_ST(XJL_ROW_PENDING) | ROW_ST(XJL_ROW_NOT_FOUND) | ROW_ST(XJL_ROW_ERROR))
#define ROW_RESOLVED                                                                               \
    (ROW_ST(XJL_ROW_MATCHED) | ROW_ST(XJL_ROW_CONFIRMED) | ROW_ST(XJL_ROW_NOT_FOUND))
#define STAYS XJL__STATE_STAYS
#define SCHOOL XJL__BY_SCHOOL
#define AUTH XJL__BY_AUTHORITY

static const struct xjl__action actions[] = {
    {XJL__FLOW_ROW, "edit", "edit", SCHOOL},
    {XJL__FLOW_ROW, "confirm", "confirm a candidate of", SCHOOL},
    {XJL__FLOW_ROW, "none", "declare none for", SCHOOL},
    {XJL__FLOW_ROW, "supplement", "supplement", SCHOOL},
    {XJL__FLOW_ROW, "supplement-done", "save the supplement of", SCHOOL},
    {XJL__FLOW_ROW, "delete", "delete", SCHOOL},
    {XJL__FLOW_ROW, "submit", "submit", SCHOOL},
    {XJL__FLOW_ROW, "key-change", "request a key-data change of", SCHOOL},
    {XJL__FLOW_ROW, "return", "return", AUTH},
    {XJL__FLOW_ROW, "override", "override the findings of", AUTH},
    {XJL__FLOW_ROW, "approve", "approve", AUTH},
    {XJL__FLOW_KEY_CHANGE, "approve", "approve", AUTH},
    {XJL__FLOW_KEY_CHANGE, "reject", "reject", AUTH},
    {XJL__FLOW_REGISTRATION, "proof", "record the proof of attendance of", SCHOOL},
    {XJL__FLOW_REGISTRATION, "decide", "decide by hand", AUTH},
    {XJL__FLOW_REGISTRATION, "export-check", "export for the national check", AUTH},
    {XJL__FLOW_REGISTRATION, "import-check", "take the national check's result for", AUTH},
    {XJL__FLOW_ADMISSION, "continue", "continue", SCHOOL},
    {XJL__FLOW_ADMISSION, "cancel", "cancel", SCHOOL},
    {XJL__FLOW_ADMISSION, "delete", "delete", SCHOOL},
    {XJL__FLOW_ADMISSION, "transfer-archive", "transfer the archive of", SCHOOL},
    {XJL__FLOW_ADMISSION, "school-transfer", "transfer the pupil of", SCHOOL},
    {XJL__FLOW_ADMISSION, "resolve-keep", "keep (重复招生处理)", AUTH},
    {XJL__FLOW_ADMISSION, "resolve-cancel", "cancel (重复招生处理)", AUTH},
    {XJL__FLOW_ADMISSION, "review-approve", "approve (招生录取审核)", AUTH},
    {XJL__FLOW_ADMISSION, "review-reject", "reject (招生录取审核)", AUTH},
    {XJL__FLOW_QUOTA, "approve", "approve", AUTH},
    {XJL__FLOW_QUOTA, "reject", "reject", AUTH},
    {XJL__FLOW_GRADUATE, "restore", "restore", AUTH},
    {XJL__FLOW_GRADUATE, "delete", "delete", AUTH},
};

static const struct xjl__step steps[] = {
    /* Primary intake: a row's review stage; statuses: the match statuses the
     * step takes (0: any). */
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "edit", XJL__REVIEW_OPEN, ROW_EDITABLE,
     "matched again; the supplement starts again"},
    {XJL__FLOW_ROW, XJL__REVIEW_RETURNED, "edit", XJL__REVIEW_OPEN, ROW_EDITABLE,
     "matched again; the supplement starts again"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "confirm", STAYS, ROW_ST(XJL_ROW_PENDING),
     "the record is a candidate, not pulled by another school"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "none", STAYS, ROW_ST(XJL_ROW_PENDING), "becomes not_found"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "supplement", XJL__REVIEW_OPEN, ROW_RESOLVED,
     "all values valid, no key field"},
    {XJL__FLOW_ROW, XJL__REVIEW_RETURNED, "supplement", XJL__REVIEW_OPEN, ROW_RESOLVED,
     "all values valid, no key field"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "supplement-done", XJL__REVIEW_OPEN, ROW_RESOLVED,
     "the required fields are filled"},
    {XJL__FLOW_ROW, XJL__REVIEW_RETURNED, "supplement-done", XJL__REVIEW_OPEN, ROW_RESOLVED,
     "the required fields are filled"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "delete", XJL__ROW_DELETED, 0,
     "not matched with its supplement done"},
    {XJL__FLOW_ROW, XJL__REVIEW_RETURNED, "delete", XJL__ROW_DELETED, 0,
     "not matched with its supplement done"},
    {XJL__FLOW_ROW, XJL__REVIEW_APPROVED, "delete", XJL__ROW_DELETED, 0,
     "a temporary number only: a G number is permanent"},
    {XJL__FLOW_ROW, XJL__REVIEW_OPEN, "submit", XJL__REVIEW_SUBMITTED, ROW_RESOLVED,
     "the supplement is done"},
    {XJL__FLOW_ROW, XJL__REVIEW_APPROVED, "key-change", STAYS, 0,
     "opens a key-data change request, one at a time"},
    {XJL__FLOW_ROW, XJL__REVIEW_SUBMITTED, "return", XJL__REVIEW_RETURNED, 0, "with a reason"},
    {XJL__FLOW_ROW, XJL__REVIEW_SUBMITTED, "override", STAYS, 0,
     "with a reason: the findings no longer hold the number"},
    {XJL__FLOW_ROW, XJL__REVIEW_SUBMITTED, "approve", XJL__REVIEW_APPROVED, 0,
     "numbered: G, or L without a valid citizen number"},
    {XJL__FLOW_ROW, XJL__REVIEW_SUBMITTED, "approve", XJL__REVIEW_RETURNED, 0,
     "its G number is held already (duplicate)"},
    {XJL__FLOW_ROW, XJL__REVIEW_SUBMITTED, "approve", STAYS, 0, "held: findings not overridden"},

    /* 关键数据变更 */
    {XJL__FLOW_KEY_CHANGE, XJL__KC_OPEN, "approve", XJL__KC_APPROVED, 0,
     "the new value is not held elsewhere nor twice on the list; the row is matched again"},
    {XJL__FLOW_KEY_CHANGE, XJL__KC_OPEN, "reject", XJL__KC_REJECTED, 0, NULL},

    /* 非小学一年级学籍注册 */
    {XJL__FLOW_REGISTRATION, XJL__REGQ_PROOF, "proof", STAYS, 0, NULL},
    {XJL__FLOW_REGISTRATION, XJL__REGQ_PROOF, "decide", XJL__REGQ_REGISTERED, 0,
     "the proof is recorded; a J number"},
    {XJL__FLOW_REGISTRATION, XJL__REGQ_PROOF, "decide", XJL__REGQ_REFUSED, 0,
     "the proof is recorded"},
    {XJL__FLOW_REGISTRATION, XJL__REGQ_QUEUED, "export-check", XJL__REGQ_CHECKING, 0,
     "one batch a month"},
    {XJL__FLOW_REGISTRATION, XJL__REGQ_CHECKING, "import-check", XJL__REGQ_REGISTERED, 0,
     "通过: a G number"},
    {XJL__FLOW_REGISTRATION, XJL__REGQ_CHECKING, "import-check", XJL__REGQ_REFUSED, 0,
     "重复 or 不通过"},

    /* 高中招生学籍接续: an admission flow */
    {XJL__FLOW_ADMISSION, XJL__ADM_PENDING, "continue", XJL__ADM_ADMITTED, 0,
     "是; the pool still has the graduate admissible"},
    {XJL__FLOW_ADMISSION, XJL__ADM_PENDING, "cancel", XJL__ADM_CANCELLED, 0, "否"},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "cancel", XJL__ADM_CANCELLED, 0, NULL},
    {XJL__FLOW_ADMISSION, XJL__ADM_CANCELLED, "delete", XJL__ADM_DELETED, 0,
     "a new flow may start"},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "transfer-archive", XJL__ADM_DONE, 0,
     "the pool still has the graduate admissible: not deleted, graduated, not archived (注销)"},
    {XJL__FLOW_ADMISSION, XJL__ADM_DONE, "school-transfer", XJL__ADM_MOVED, 0,
     "a school of the same kind with a free place; the new flow is done"},
    {XJL__FLOW_ADMISSION, XJL__ADM_PENDING, "resolve-keep", XJL__ADM_ADMITTED, 0,
     "the other flow admits the same pupil; the pool still has the graduate admissible"},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "resolve-keep", STAYS, 0,
     "the other flow admits the same pupil; the pool still has the graduate admissible"},
    {XJL__FLOW_ADMISSION, XJL__ADM_DONE, "resolve-keep", STAYS, 0,
     "the other flow admits the same pupil"},
    {XJL__FLOW_ADMISSION, XJL__ADM_PENDING, "resolve-cancel", XJL__ADM_CANCELLED, 0, NULL},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "resolve-cancel", XJL__ADM_CANCELLED, 0, NULL},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "review-approve", STAYS, 0,
     "the stage selected is the school's kind"},
    {XJL__FLOW_ADMISSION, XJL__ADM_DONE, "review-approve", STAYS, 0,
     "the stage selected is the school's kind"},
    {XJL__FLOW_ADMISSION, XJL__ADM_ADMITTED, "review-reject", XJL__ADM_CANCELLED, 0,
     "the stage selected is the school's kind; with a reason"},

    /* Quota-change requests */
    {XJL__FLOW_QUOTA, XJL__QREQ_OPEN, "approve", XJL__QREQ_APPROVED, 0,
     "it raises the quota the school has now"},
    {XJL__FLOW_QUOTA, XJL__QREQ_OPEN, "reject", XJL__QREQ_REJECTED, 0, NULL},

    /* Graduates of the pool */
    {XJL__FLOW_GRADUATE, XJL__GRAD_ARCHIVED, "restore", XJL__GRAD_IN_POOL, 0,
     "a reload of the pool keeps it restored"},
    {XJL__FLOW_GRADUATE, XJL__GRAD_IN_POOL, "delete", XJL__GRAD_DELETED, 0,
     "a temporary number, no live admission"},
    {XJL__FLOW_GRADUATE, XJL__GRAD_ARCHIVED, "delete", XJL__GRAD_DELETED, 0,
     "a temporary number, no live admission"},
};

/* Why a state refuses most steps, for the refusal (NULL: the state says it). */
static const char *const flow_hints[XJL__FLOW_COUNT][8] = {
    [XJL__FLOW_ROW] = {NULL,
                       "under the authority's review (学校已上报): wait for approval or its "
                       "return",
                       NULL,
                       "registered with a national student number: its key "
                       "fields change by a key-data change (关键数据变更)",
                       NULL},
    [XJL__FLOW_ADMISSION] = {"waiting for the decision on a double admission (continue or "
                             "cancel it)",
                             NULL, NULL,
                             "the archive transfer (调档) is final: only "
                             "a school transfer (转学) moves the pupil",
                             NULL, NULL},
    [XJL__FLOW_REGISTRATION] = {"waiting for the monthly national duplicate check",
                                "waiting for "
                                "the proof of attendance (无身份证号在校就读证明)",
                                "in the "
                                "national duplicate check",
                                NULL, NULL},
    [XJL__FLOW_GRADUATE] = {NULL, "archived (注销): the authority restores it first", NULL},
};

const char *xjl__state_hint(enum xjl__flow flow, int state)
{
    return (unsigned)flow < XJL__FLOW_COUNT && state >= 0 && state < 8 ? flow_hints[flow][state]
                                                                       : NULL;
}

const struct xjl__step *xjl__steps(size_t *n)
{
    *n = XJL_ARRAY_LEN(steps);
    return steps;
}

const struct xjl__action *xjl__actions(size_t *n)
{
    *n = XJL_ARRAY_LEN(actions);
    return actions;
}

/* A catalogue word built from parts ("value." + name), or fallback when the
 * catalogue has none: a word the tables gained without a translation still
 * reads, in English. */
static const char *word(const char *prefix, const char *a, const char *b, const char *fallback)
{
    char id[96];
    int n = snprintf(id, sizeof id, "%s%s%s%s", prefix, a, b ? "." : "", b ? b : "");
    for (char *p = id; n > 0 && *p; p++)
        if (*p == ' ')
            *p = '_';
    return n > 0 && (size_t)n < sizeof id && xjl_message_exists(id) ? xjl__msg(id) : fallback;
}

const char *xjl__value_label(const char *name)
{
    return word("value.", name, NULL, name);
}

const char *xjl__state_label(enum xjl__flow flow, int state)
{
    return xjl__value_label(xjl__state_name(flow, state));
}

const char *xjl__kind_label(int kind)
{
    return xjl__value_label(xjl_school_kind_name((xjl_school_kind)kind));
}

const char *xjl__row_status_text(int status)
{
    return xjl_get_lang() == XJL_LANG_ZH ? xjl_row_status_label_zh((xjl_row_status)status)
                                         : xjl_row_status_name((xjl_row_status)status);
}

const char *xjl__action_verb(const struct xjl__action *a)
{
    return word("ws.verb.", xjl__flow_name(a->flow), a->name, a->verb);
}

const char *xjl__object_label(const char *object)
{
    return word("ws.object.", object, NULL, object);
}

const char *xjl__flow_name(enum xjl__flow flow)
{
    return (unsigned)flow < XJL__FLOW_COUNT ? flow_names[flow] : "unknown";
}

const char *xjl__state_name(enum xjl__flow flow, int state)
{
    if ((unsigned)flow >= XJL__FLOW_COUNT || state < 0 || state >= 8 || !flow_states[flow][state])
        return "unknown";
    return flow_states[flow][state];
}

int xjl__state_parse(enum xjl__flow flow, const char *name)
{
    for (int s = 0; (unsigned)flow < XJL__FLOW_COUNT && name && s < 8 && flow_states[flow][s]; s++)
        if (strcmp(flow_states[flow][s], name) == 0)
            return s;
    return -1;
}

const struct xjl__action *xjl__action_find(enum xjl__flow flow, const char *action)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(actions); i++)
        if (actions[i].flow == flow && strcmp(actions[i].name, action) == 0)
            return &actions[i];
    return NULL;
}

/* The states an action may start from, for the refusal ("open, returned"). */
static void starts_of(enum xjl__flow flow, const char *action, char *out, size_t cap)
{
    size_t used = 0;
    unsigned seen = 0;
    out[0] = '\0';
    for (size_t i = 0; i < XJL_ARRAY_LEN(steps) && used < cap; i++)
        if (steps[i].flow == flow && strcmp(steps[i].action, action) == 0 &&
            !(seen & (1u << steps[i].from))) {
            seen |= 1u << steps[i].from;
            used += (size_t)snprintf(out + used, cap - used, "%s%s",
                                     used ? xjl__msg("ws.states.list_sep") : "",
                                     xjl__state_label(flow, steps[i].from));
        }
}

/* The match statuses a row step takes ("pending, not_found"). */
static void statuses_of(unsigned mask, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (int s = 0; s < (int)XJL_ARRAY_LEN(status_names) && used < cap; s++)
        if (mask & (1u << s))
            used += (size_t)snprintf(
                out + used, cap - used, "%s%s", used ? xjl__msg("ws.states.list_sep") : "",
                xjl_get_lang() == XJL_LANG_ZH ? status_labels[s] : status_names[s]);
}

int xjl__step_check(enum xjl__flow flow, int from, int status, const char *action,
                    const char *object, int64_t id, const struct xjl__step **out)
{
    const struct xjl__action *a = xjl__action_find(flow, action);
    if (!a)
        return xjl__failm(XJL_EINVAL, "ws.states.no_action", xjl__object_label(object), action,
                          xjl__flow_name(flow));
    bool from_ok = false;
    for (size_t i = 0; i < XJL_ARRAY_LEN(steps); i++) {
        const struct xjl__step *s = &steps[i];
        if (s->flow != flow || s->from != from || strcmp(s->action, action) != 0)
            continue;
        from_ok = true;
        if (s->statuses && !(status >= 0 && (s->statuses & (1u << status))))
            continue;
        if (out)
            *out = s;
        return XJL_OK;
    }
    char starts[320];
    starts_of(flow, action, starts, sizeof starts);
    const char *hint = xjl__state_hint(flow, from);
    if (hint)
        hint = word("ws.hint.", xjl__flow_name(flow), xjl__state_name(flow, from), hint);
    if (!from_ok || status < 0 || status >= (int)XJL_ARRAY_LEN(status_names))
        return xjl__failm(XJL_ESTATE, "ws.states.refused", xjl__action_verb(a),
                          xjl__object_label(object), (long long)id, xjl__state_label(flow, from),
                          hint ? xjl__msg("ws.states.hint_sep") : "", hint ? hint : "", action,
                          starts[0] ? starts : xjl__msg("ws.states.none"));
    /* The state admits the action, the row's match status does not. */
    char statuses[320] = "";
    for (size_t i = 0; i < XJL_ARRAY_LEN(steps); i++)
        if (steps[i].flow == flow && steps[i].from == from && strcmp(steps[i].action, action) == 0)
            statuses_of(steps[i].statuses, statuses, sizeof statuses);
    return xjl__failm(XJL_ESTATE, "ws.states.refused_status", xjl__action_verb(a),
                      xjl__object_label(object), (long long)id, status_labels[status],
                      status_names[status], action, statuses, xjl__object_label(object));
}
