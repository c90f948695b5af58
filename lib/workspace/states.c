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
    return xjl__fail(XJL_EINVAL, "not a row status: '%s' (matched, pending, not_found, error, confirmed)",
                     s ? s : "(null)");
}

const char *xjl__supplement_name(int state)
{
    static const char *const names[] = {"none", "draft", "done"};
    return (state >= 0 && state < 3) ? names[state] : "unknown";
}

const char *xjl__review_name(int review)
{
    static const char *const names[] = {"open", "submitted", "returned", "approved"};
    return (review >= 0 && review < 4) ? names[review] : "unknown";
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
    return xjl__fail(XJL_EINVAL, "not a school kind: '%s' (primary 小学, junior 初中, senior 高中, "
                                 "vocational 中职)", s ? s : "(null)");
}

XJL_API const char *xjl_enrol_route_name(xjl_enrol_route route)
{
    static const char *const names[] = {"unified", "self", "transfer"};
    int r = (int)route;
    return (r >= 0 && r < 3) ? names[r] : "unknown";
}

const char *xjl__admission_state_name(int state)
{
    static const char *const names[] = {"pending", "admitted", "cancelled", "done", "moved"};
    return (state >= 0 && state < 5) ? names[state] : "unknown";
}
