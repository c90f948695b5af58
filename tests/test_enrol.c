/* Secondary enrolment (docs/domain.md §2): graduates, quotas, admissions, double
 * admission, archive transfer, school transfer, statistics, and double
 * admissions across two systems' lists with noise on one side. */
#include "workspace/workspace.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define YEAR 2025

static char dir[512];
static char num[10][24]; /* national student numbers of the graduates G1..G9 */

static int setup(void **state)
{
    (void)state;
    fixture_dir(dir, sizeof dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_cleanup(dir);
    return 0;
}

/* A workspace with four schools, quotas, and the graduate pool. */
static xjl_workspace *open_pool(const char *name)
{
    char db[600], csv[600];
    fixture_path(db, sizeof db, dir, name);
    fixture_path(csv, sizeof csv, dir, "graduates.csv");
    static const struct {
        const char *name, *gender, *date;
        int region, seq;
        const char *stage, *graduated, *archived;
    } g[10] = {
        {"", "", "", 0, 0, "", "", ""},
        {"张伟", "男", "2010-03-01", 110101, 11, "初中", "1", "0"},
        {"李娜", "女", "2010-05-02", 110101, 22, "初中", "是", "是"}, /* archived */
        {"王芳", "女", "2010-07-07", 110101, 32, "初中", "0", "0"},   /* not a graduate */
        {"赵敏", "女", "2010-09-09", 130102, 62, "初中", "1", "0"},   /* another province */
        {"周杰", "男", "2010-04-04", 110105, 71, "初中", "1", "0"},   /* another county */
        {"陈晨", "男", "2010-02-02", 110101, 81, "初中", "1", "0"},
        {"刘洋", "男", "2013-01-01", 110101, 91, "小学", "1", "0"}, /* a primary graduate */
        {"孙丽", "女", "2010-06-06", 110101, 42, "初中", "1", "0"}, /* temporary number */
        {"马超", "男", "2010-08-08", 110101, 51, "初中", "1", "0"},
    };
    FILE *fp = fopen(csv, "wb");
    assert_non_null(fp);
    fputs("学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n",
          fp);
    for (int i = 1; i <= 9; i++) {
        char id[19];
        int y, m, d;
        sscanf(g[i].date, "%d-%d-%d", &y, &m, &d);
        fixture_id(id, g[i].region, y, m, d, g[i].seq);
        if (i == 8)
            snprintf(num[i], sizeof num[i], "L%06d%04d%02d%02d%04d", g[i].region, y, m, d, 1234);
        else
            snprintf(num[i], sizeof num[i], "G%s", id);
        fprintf(fp, "%s,%s,%s,%s,居民身份证,%s,某中学,%d,%s,%s,%s\n", num[i], g[i].name,
                g[i].gender, g[i].date, id, g[i].region, g[i].stage, g[i].graduated, g[i].archived);
    }
    fputs("G123,坏号,男,2010-01-01,居民身份证,,某中学,110101,初中,1,0\n", fp);
    fputs("G110101201001010010,坏阶段,男,2010-01-01,居民身份证,,某中学,110101,大学,1,0\n", fp);
    fclose(fp);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "county-admin"), XJL_OK);
    struct fixture_diag diag = {0};
    xjl_load_report rep;
    assert_int_equal(xjl_enrol_load_graduates(ws, csv, XJL_ENC_AUTO, fixture_diag_fn, &diag, &rep),
                     XJL_OK);
    assert_int_equal(rep.inserted, 9);
    assert_int_equal(rep.bad_rows, 2);
    assert_int_equal(diag.count, 2);
    assert_string_equal(diag.last_value, "大学");

    assert_int_equal(xjl_school_set(ws, "H1", "第一高中", 110101, "1111000001"), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "H2", "第二高中", 110102, NULL), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "V1", "职业学校", 110101, "1111000002"), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "J1", "第一初中", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "H1", XJL_SCHOOL_SENIOR), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "H2", XJL_SCHOOL_SENIOR), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "V1", XJL_SCHOOL_VOCATIONAL), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "J1", XJL_SCHOOL_JUNIOR), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 3), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "H2", YEAR, 1), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "V1", YEAR, 5), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "J1", YEAR, 5), XJL_OK);
    return ws;
}

/* An admission as the season runs it: a unified one after the authority
 * assigned the graduate to the school (an unknown number stays unknown). */
static int admit(xjl_workspace *ws, const char *school, int year, const char *number,
                 xjl_enrol_route route, int64_t *adm, int64_t *conflict)
{
    if (route == XJL_ROUTE_UNIFIED) {
        int rc = xjl_enrol_assign(ws, school, year, number);
        if (rc != XJL_OK)
            return rc;
    }
    return xjl_enrol_admit(ws, school, year, number, route, adm, conflict);
}

static const char *state_of(xjl_workspace *ws, int64_t adm, char *buf, size_t cap)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admission(ws, adm, &t), XJL_OK);
    snprintf(buf, cap, "%s", xjl_listing_value(t, 0, "state"));
    xjl_listing_free(t);
    return buf;
}

static void test_admit_rules(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("rules.db");
    int64_t adm = 0, conflict = 0;
    char buf[64];

    /* Admitting continues the graduate's record. */
    assert_int_equal(admit(ws, "H1", YEAR, num[1], XJL_ROUTE_UNIFIED, &adm, &conflict), XJL_OK);
    assert_int_equal(conflict, 0);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admission(ws, adm, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "number"), num[1]);
    assert_string_equal(xjl_listing_value(t, 0, "name"), "张伟");
    assert_string_equal(xjl_listing_value(t, 0, "state"), "admitted");
    assert_string_equal(xjl_listing_value(t, 0, "route"), "unified");
    xjl_listing_free(t);
    /* Twice is refused. */
    assert_int_equal(admit(ws, "H1", YEAR, num[1], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EDUPLICATE);
    assert_int_equal(admit(ws, "H2", YEAR, num[1], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EDUPLICATE);
    assert_non_null(strstr(xjl_errmsg(), "H1"));

    /* A non-graduate, an archived problem record: refused, saying why. */
    assert_int_equal(admit(ws, "H1", YEAR, num[3], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "非毕业生"));
    assert_int_equal(admit(ws, "H1", YEAR, num[2], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "已注销"));
    assert_non_null(strstr(xjl_errmsg(), "restore"));
    assert_int_equal(xjl_enrol_restore(ws, num[2], "数据核查后恢复"), XJL_OK);
    assert_int_equal(xjl_enrol_restore(ws, num[2], NULL), XJL_ESTATE);
    assert_int_equal(admit(ws, "H1", YEAR, num[2], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);

    /* Self enrolment: another county of the province, not another province. */
    assert_int_equal(admit(ws, "H1", YEAR, num[4], XJL_ROUTE_SELF, &adm, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "another county"));
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_SELF, &adm, NULL), XJL_ESTATE);
    assert_int_equal(admit(ws, "H1", YEAR, num[5], XJL_ROUTE_SELF, &adm, NULL), XJL_OK);

    /* The stage must fit the school. */
    assert_int_equal(admit(ws, "V1", YEAR, num[7], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "primary"));
    assert_int_equal(admit(ws, "J1", YEAR, num[7], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);
    assert_int_equal(admit(ws, "J1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);

    /* Unknown numbers, schools without a kind or a quota. */
    assert_int_equal(admit(ws, "H1", YEAR, "G000", XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ENOTFOUND);
    assert_int_equal(admit(ws, "X9", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_int_equal(admit(ws, "V1", YEAR + 1, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "no quota"));
    assert_int_equal(admit(ws, "V1", 1999, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EINVAL);

    /* Graduates: a G record may not be deleted, an L one may. */
    assert_int_equal(xjl_enrol_delete_graduate(ws, num[9], "x"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "formal"));
    assert_int_equal(xjl_enrol_delete_graduate(ws, num[8], "迁出"), XJL_OK);
    assert_int_equal(xjl_enrol_graduate(ws, num[8], &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "deleted"), "1");
    xjl_listing_free(t);
    assert_int_equal(admit(ws, "H2", YEAR, num[8], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_ESTATE);
    assert_string_equal(state_of(ws, adm, buf, sizeof buf), "admitted");
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    xjl_workspace_close(ws);
}

static void test_quota(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("quota.db");
    int64_t a1, a2, a5, adm, req;
    assert_int_equal(admit(ws, "H1", YEAR, num[1], XJL_ROUTE_UNIFIED, &a1, NULL), XJL_OK);
    assert_int_equal(xjl_enrol_restore(ws, num[2], NULL), XJL_OK);
    assert_int_equal(admit(ws, "H1", YEAR, num[2], XJL_ROUTE_UNIFIED, &a2, NULL), XJL_OK);
    assert_int_equal(admit(ws, "H1", YEAR, num[5], XJL_ROUTE_SELF, &a5, NULL), XJL_OK);
    size_t q = 0, used = 0;
    assert_int_equal(xjl_enrol_quota(ws, "H1", YEAR, &q, &used), XJL_OK);
    assert_int_equal(q, 3);
    assert_int_equal(used, 3);
    /* Admissions stop at the quota. */
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EQUOTA);
    assert_non_null(strstr(xjl_errmsg(), "quota of 3"));
    assert_non_null(strstr(xjl_errmsg(), "quota-change request"));
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 2), XJL_ESTATE);
    /* The request and its approval. */
    assert_int_equal(xjl_enrol_request_quota(ws, "H1", YEAR, 3, "no", &req), XJL_ESTATE);
    assert_int_equal(xjl_enrol_request_quota(ws, "H1", YEAR, 5, "转入学生占用", &req), XJL_OK);
    int64_t req2;
    assert_int_equal(xjl_enrol_request_quota(ws, "H1", YEAR, 6, "again", &req2), XJL_ESTATE);
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EQUOTA);
    assert_int_equal(xjl_enrol_decide_quota(ws, req, 1), XJL_OK);
    assert_int_equal(xjl_enrol_decide_quota(ws, req, 0), XJL_ESTATE);
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_quota_requests(ws, "H1", &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "state"), "approved");
    assert_int_equal(xjl_listing_int(t, 0, "quota_before"), 3);
    xjl_listing_free(t);
    assert_int_equal(xjl_enrol_request_quota(ws, "H1", YEAR, 9, NULL, &req2), XJL_OK);
    assert_int_equal(xjl_enrol_decide_quota(ws, req2, 0), XJL_OK);
    assert_int_equal(xjl_enrol_quota(ws, "H1", YEAR, &q, &used), XJL_OK);
    assert_int_equal(q, 5);
    assert_int_equal(used, 4);

    /* The archive transfer is final; a school transfer moves the pupil and
     * consumes the new school's quota. */
    assert_int_equal(xjl_enrol_transfer_archive(ws, a1), XJL_OK);
    assert_int_equal(xjl_enrol_transfer_archive(ws, a1), XJL_ESTATE);
    assert_int_equal(xjl_enrol_cancel(ws, a1, "录错了"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "转学"));
    int64_t h2 = 0, moved = 0;
    assert_int_equal(admit(ws, "H2", YEAR, num[6], XJL_ROUTE_UNIFIED, &h2, NULL), XJL_OK);
    assert_int_equal(xjl_enrol_school_transfer(ws, a1, "H2", &moved), XJL_EQUOTA);
    assert_int_equal(xjl_enrol_school_transfer(ws, a1, "V1", &moved), XJL_ESTATE);
    assert_int_equal(xjl_enrol_school_transfer(ws, a2, "H2", &moved), XJL_ESTATE);
    assert_int_equal(xjl_enrol_request_quota(ws, "H2", YEAR, 2, "转入", &req), XJL_OK);
    assert_int_equal(xjl_enrol_decide_quota(ws, req, 1), XJL_OK);
    assert_int_equal(xjl_enrol_school_transfer(ws, a1, "H2", &moved), XJL_OK);
    char buf[64];
    assert_string_equal(state_of(ws, a1, buf, sizeof buf), "moved");
    assert_string_equal(state_of(ws, moved, buf, sizeof buf), "done");
    assert_int_equal(xjl_enrol_quota(ws, "H2", YEAR, &q, &used), XJL_OK);
    assert_int_equal(used, 2);
    assert_int_equal(xjl_enrol_quota(ws, "H1", YEAR, &q, &used), XJL_OK);
    assert_int_equal(used, 3);

    /* Statistics: only schools with an identifier code and a pupil count. */
    size_t schools = 0;
    assert_int_equal(xjl_enrol_statistics(ws, YEAR, &t, &schools), XJL_OK);
    assert_int_equal(schools, 1); /* H1; H2 has pupils but no identifier, V1 none */
    for (size_t r = 0; r < xjl_listing_rows(t); r++) {
        const char *s = xjl_listing_value(t, r, "school");
        if (strcmp(s, "H1") == 0) {
            assert_int_equal(xjl_listing_int(t, r, "pupils"), 3);
            assert_int_equal(xjl_listing_int(t, r, "counted"), 1);
        } else if (strcmp(s, "H2") == 0) {
            assert_int_equal(xjl_listing_int(t, r, "pupils"), 2);
            assert_int_equal(xjl_listing_int(t, r, "counted"), 0);
        } else {
            assert_int_equal(xjl_listing_int(t, r, "counted"), 0);
        }
    }
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

static void test_double_admission(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("double.db");
    int64_t voc = 0, sen = 0, conflict = 0;
    char buf[64];
    assert_int_equal(admit(ws, "V1", YEAR, num[6], XJL_ROUTE_UNIFIED, &voc, &conflict), XJL_OK);
    assert_int_equal(conflict, 0);
    /* The senior high school is warned, naming the vocational admission. */
    assert_int_equal(admit(ws, "H1", YEAR, num[6], XJL_ROUTE_UNIFIED, &sen, &conflict), XJL_OK);
    assert_int_equal(conflict, voc);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admission(ws, sen, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "state"), "pending");
    assert_non_null(strstr(xjl_listing_value(t, 0, "note"), "V1"));
    assert_non_null(strstr(xjl_listing_value(t, 0, "note"), "vocational"));
    xjl_listing_free(t);
    /* A pending flow holds a place but is no pupil yet. */
    assert_int_equal(xjl_enrol_transfer_archive(ws, sen), XJL_ESTATE);
    /* The query lists every pupil admitted by both, with both sides. */
    assert_int_equal(xjl_enrol_double_admissions(ws, YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "number"), num[6]);
    assert_string_equal(xjl_listing_value(t, 0, "name"), "陈晨");
    assert_string_equal(xjl_listing_value(t, 0, "senior_school"), "H1");
    assert_string_equal(xjl_listing_value(t, 0, "senior_state"), "pending");
    assert_string_equal(xjl_listing_value(t, 0, "vocational_school"), "V1");
    assert_string_equal(xjl_listing_value(t, 0, "vocational_state"), "admitted");
    xjl_listing_free(t);

    /* "否": cancelled; a new flow needs the cancelled one deleted first. */
    assert_int_equal(xjl_enrol_cancel(ws, sen, "学生选择中职"), XJL_OK);
    assert_int_equal(xjl_enrol_cancel(ws, sen, NULL), XJL_ESTATE);
    assert_int_equal(xjl_enrol_continue(ws, sen), XJL_ESTATE);
    assert_int_equal(xjl_enrol_double_admissions(ws, YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 0);
    xjl_listing_free(t);
    int64_t again = 0;
    assert_int_equal(admit(ws, "H1", YEAR, num[6], XJL_ROUTE_UNIFIED, &again, &conflict),
                     XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "delete it"));
    assert_int_equal(xjl_enrol_delete(ws, voc), XJL_ESTATE);
    assert_int_equal(xjl_enrol_delete(ws, sen), XJL_OK);
    assert_int_equal(xjl_enrol_delete(ws, sen), XJL_ESTATE);
    /* "是": the new flow continues despite the warning. */
    assert_int_equal(admit(ws, "H1", YEAR, num[6], XJL_ROUTE_UNIFIED, &again, &conflict), XJL_OK);
    assert_int_equal(conflict, voc);
    assert_int_equal(xjl_enrol_continue(ws, again), XJL_OK);
    assert_string_equal(state_of(ws, again, buf, sizeof buf), "admitted");
    assert_int_equal(xjl_enrol_double_admissions(ws, YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "senior_state"), "admitted");
    xjl_listing_free(t);
    /* The reverse direction warns too. */
    int64_t v2 = 0;
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &sen, &conflict), XJL_OK);
    assert_int_equal(admit(ws, "V1", YEAR, num[9], XJL_ROUTE_UNIFIED, &v2, &conflict), XJL_OK);
    assert_int_equal(conflict, sen);
    /* Every step is in the audit trail with its operator. */
    assert_int_equal(xjl_workspace_audit(ws, "admission", again, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 2);
    assert_string_equal(xjl_listing_value(t, 0, "action"), "admit");
    assert_string_equal(xjl_listing_value(t, 1, "action"), "continue");
    assert_string_equal(xjl_listing_value(t, 1, "operator"), "county-admin");
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

/* A double admission across two years: the senior admission in one year,
 * the vocational one (warned, then continued) in the next.  The query of
 * either year lists the pair, once; a year with neither admission does not. */
static void test_double_admission_across_years(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("xyear.db");
    int64_t sen = 0, voc = 0, conflict = 0;
    assert_int_equal(xjl_enrol_set_quota(ws, "V1", YEAR + 1, 1), XJL_OK);
    assert_int_equal(admit(ws, "H1", YEAR, num[1], XJL_ROUTE_UNIFIED, &sen, &conflict), XJL_OK);
    assert_int_equal(conflict, 0);
    assert_int_equal(admit(ws, "V1", YEAR + 1, num[1], XJL_ROUTE_UNIFIED, &voc, &conflict), XJL_OK);
    assert_int_equal(conflict, sen);
    assert_int_equal(xjl_enrol_continue(ws, voc), XJL_OK);
    for (int year = YEAR; year <= YEAR + 1; year++) {
        xjl_listing *t = NULL;
        assert_int_equal(xjl_enrol_double_admissions(ws, year, &t), XJL_OK);
        if (xjl_listing_rows(t) != 1)
            fail_msg("double admissions of %d: %zu rows, 1 expected", year, xjl_listing_rows(t));
        assert_string_equal(xjl_listing_value(t, 0, "number"), num[1]);
        assert_int_equal(xjl_listing_int(t, 0, "senior_admission"), sen);
        assert_int_equal(xjl_listing_int(t, 0, "vocational_admission"), voc);
        xjl_listing_free(t);
    }
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_double_admissions(ws, YEAR - 1, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 0);
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

static bool closed(void *user, const char *process, int32_t date)
{
    (void)user;
    (void)date;
    return strcmp(process, "enrol") != 0;
}

static void test_assigned_list_and_policy(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("assigned.db");
    char list[600], text[1024], id5[19];
    fixture_path(list, sizeof list, dir, "assigned.csv");
    fixture_id(id5, 110105, 2010, 4, 4, 71);
    /* By number, by the key fields alone, a non-graduate, an unknown pupil. */
    snprintf(text, sizeof text,
             "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号\n"
             "%s,,,,,\n"
             ",周杰,男,2010-04-04,居民身份证,%s\n"
             "%s,,,,,\n"
             ",无此人,男,2010-12-12,,\n",
             num[1], id5, num[3]);
    fixture_write(list, text);
    struct fixture_diag d = {0};
    xjl_load_report rep;
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "V1", YEAR, list, XJL_ENC_AUTO, fixture_diag_fn, &d, &rep),
        XJL_OK);
    assert_int_equal(rep.rows, 4);
    assert_int_equal(rep.inserted, 2);
    assert_int_equal(rep.bad_rows, 2);
    assert_int_equal(d.count, 2);
    /* the row without a number is reported by the key fields it was looked up by */
    assert_int_equal(d.last_line, 5);
    assert_string_equal(d.last_column, "姓名,性别,出生日期,身份证件类型,身份证件号");
    assert_string_equal(d.last_value, "无此人,男,2010-12-12,,");
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admissions(ws, "V1", YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 2);
    assert_string_equal(xjl_listing_value(t, 1, "name"), "周杰");
    xjl_listing_free(t);

    /* The host's window: enrolment closed, the school's steps refused. */
    xjl_workspace_set_window_hook(ws, closed, NULL);
    int64_t adm;
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_EPOLICY);
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "V1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep),
        XJL_EPOLICY);
    /* The authority's steps ask no hook. */
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 4), XJL_OK);
    xjl_workspace_set_window_hook(ws, NULL, NULL);
    assert_int_equal(admit(ws, "H1", YEAR, num[9], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);
    xjl_workspace_close(ws);
}

/* Two systems' lists: 40 senior rows, 40 vocational rows, 10 pupils on both;
 * the vocational side carries the noise schools type. */
static void test_cross_file_double_admission(void **state)
{
    (void)state;
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵"};
    static const char *const given[] = {"梓涵", "一诺", "浩然", "欣怡", "子轩",
                                        "雨泽", "思远", "嘉怡", "宇航", "晨曦"};
    char sen[600], voc[600];
    fixture_path(sen, sizeof sen, dir, "senior.csv");
    fixture_path(voc, sizeof voc, dir, "vocational.csv");
    FILE *fs = fopen(sen, "wb"), *fv = fopen(voc, "wb");
    fputs("学校,姓名,性别,出生日期,身份证件类型,身份证件号\n", fs);
    fputs("学校,姓名,性别,出生日期,身份证件类型,身份证件号\n", fv);
    for (int i = 0; i < 70; i++) {
        char name[64], id[19], date[32];
        int month = 1 + i % 12, day = 1 + i % 28, male = i % 2;
        snprintf(name, sizeof name, "%s%s", surnames[i % 8], given[(i / 8) % 10]);
        snprintf(date, sizeof date, "2010-%02d-%02d", month, day);
        fixture_id(id, 110101 + i % 7, 2010, month, day, 100 + 2 * i + male);
        const char *gender = male ? "男" : "女";
        if (i < 40) /* 0..39 on the senior list */
            fprintf(fs, "H%d,%s,%s,%s,居民身份证,%s\n", i % 3, name, gender, date, id);
        if (i >= 30) { /* 30..69 on the vocational list: 30..39 on both */
            char idtext[80];
            snprintf(idtext, sizeof idtext, "%s", id);
            const char *type = "居民身份证";
            if (i == 30) /* a homophone (同音字): 欣怡 / 心怡 */
                snprintf(name, sizeof name, "%s%s", surnames[i % 8], "心怡");
            if (i == 31) { /* two adjacent digits of the ID number swapped */
                idtext[14] = id[15];
                idtext[15] = id[14];
            }
            if (i == 32) /* another spelling of the date */
                snprintf(date, sizeof date, "2010年%d月%d日", month, day);
            if (i == 33) { /* full-width digits in the ID number */
                size_t w = 0;
                for (int k = 0; k < 18; k++) {
                    unsigned cp = id[k] >= '0' && id[k] <= '9' ? 0xFF10u + (unsigned)(id[k] - '0')
                                                               : (unsigned char)id[k];
                    if (cp < 0x80) {
                        idtext[w++] = (char)cp;
                    } else {
                        idtext[w++] = (char)(0xE0 | (cp >> 12));
                        idtext[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        idtext[w++] = (char)(0x80 | (cp & 0x3F));
                    }
                }
                idtext[w] = '\0';
            }
            if (i == 34) /* the type misspelt: 户口薄 */
                type = "户口薄";
            fprintf(fv, "V1,%s,%s,%s,%s,%s\n", name, gender, date, type, idtext);
        }
    }
    fclose(fs);
    fclose(fv);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_cross_check(sen, voc, XJL_ENC_AUTO, NULL, NULL, &t), XJL_OK);
    bool found[10] = {false};
    for (size_t r = 0; r < xjl_listing_rows(t); r++) {
        long line = (long)xjl_listing_int(t, r, "senior_line");
        long vline = (long)xjl_listing_int(t, r, "vocational_line");
        int i = (int)line - 2, j = (int)vline - 2 + 30;
        if (i < 30 || i > 39 || i != j)
            fail_msg("false double admission: senior line %ld with vocational line %ld (%s)", line,
                     vline, xjl_listing_value(t, r, "reasons"));
        found[i - 30] = true;
        assert_string_equal(xjl_listing_value(t, r, "vocational_school"), "V1");
    }
    for (int k = 0; k < 10; k++)
        if (!found[k])
            fail_msg("pupil %d on both lists not found", 30 + k);
    assert_int_equal(xjl_listing_rows(t), 10);
    xjl_listing_free(t);
    assert_int_equal(xjl_enrol_cross_check(sen, "/nonexistent.csv", XJL_ENC_AUTO, NULL, NULL, &t),
                     XJL_EIO);
}

/* Reloading the pool that still marks a restored record archived does not
 * archive it again; 调档 of a record archived since is refused. */
static void test_restore_survives_a_reload(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("reload.db");
    char csv[600];
    fixture_path(csv, sizeof csv, dir, "graduates.csv");
    assert_int_equal(xjl_enrol_restore(ws, num[2], "数据核查后恢复"), XJL_OK);
    xjl_load_report rep;
    assert_int_equal(xjl_enrol_load_graduates(ws, csv, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_graduate(ws, num[2], &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "archived"), "0");
    xjl_listing_free(t);
    int64_t adm = 0;
    assert_int_equal(admit(ws, "H1", YEAR, num[2], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);
    xjl_workspace_close(ws);
}

/* Approving an old request does not lower a quota raised since. */
static void test_stale_quota_request(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("stale.db");
    int64_t req = 0;
    assert_int_equal(xjl_enrol_request_quota(ws, "H2", YEAR, 4, "扩招", &req), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "H2", YEAR, 10), XJL_OK);
    assert_int_equal(xjl_enrol_decide_quota(ws, req, 1), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "10"));
    size_t q = 0;
    assert_int_equal(xjl_enrol_quota(ws, "H2", YEAR, &q, NULL), XJL_OK);
    assert_int_equal(q, 10);
    assert_int_equal(xjl_enrol_decide_quota(ws, req, 0), XJL_OK);
    xjl_workspace_close(ws);
}

/* Unified enrolment admits only graduates the authority assigned. */
static void test_unified_needs_an_assignment(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("unified.db");
    int64_t adm = 0;
    assert_int_equal(xjl_enrol_admit(ws, "H1", YEAR, num[4], XJL_ROUTE_UNIFIED, &adm, NULL),
                     XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "assigned"));
    assert_int_equal(xjl_enrol_assign(ws, "H1", YEAR, num[4]), XJL_OK);
    assert_int_equal(xjl_enrol_admit(ws, "H1", YEAR, num[4], XJL_ROUTE_UNIFIED, &adm, NULL),
                     XJL_OK);
    /* An assignment is for one school and one year. */
    assert_int_equal(xjl_enrol_admit(ws, "H2", YEAR, num[6], XJL_ROUTE_UNIFIED, &adm, NULL),
                     XJL_ESTATE);
    assert_int_equal(xjl_enrol_assign(ws, "H1", YEAR, "G000"), XJL_ENOTFOUND);
    xjl_workspace_close(ws);
}

/* A school's kind is fixed while it holds admissions. */
static void test_kind_fixed_with_admissions(void **state)
{
    (void)state;
    xjl_workspace *ws = open_pool("kind.db");
    int64_t adm = 0;
    assert_int_equal(admit(ws, "V1", YEAR, num[1], XJL_ROUTE_UNIFIED, &adm, NULL), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "V1", XJL_SCHOOL_SENIOR), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "holds 1 admissions"));
    assert_int_equal(xjl_school_set_kind(ws, "V1", XJL_SCHOOL_VOCATIONAL), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "H2", XJL_SCHOOL_VOCATIONAL), XJL_OK);
    xjl_workspace_close(ws);
}

/* A workspace with n graduates of H1's county, and the assigned list of
 * all of them by number; returns the list's path in list. */
static xjl_workspace *open_big_pool(const char *name, int n, char *list, size_t cap)
{
    char db[600], csv[600];
    fixture_path(db, sizeof db, dir, name);
    fixture_path(csv, sizeof csv, dir, "big_graduates.csv");
    fixture_path(list, cap, dir, "big_assigned.csv");
    FILE *g = fopen(csv, "wb"), *a = fopen(list, "wb");
    assert_non_null(g);
    assert_non_null(a);
    fputs("学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n",
          g);
    fputs("学籍号\n", a);
    for (int i = 0; i < n; i++) {
        char id[19];
        int y = 2005 + i / 1000, m = 1 + i % 12, d = 1 + i / 12 % 25;
        fixture_id(id, 110101, y, m, d, i % 1000);
        fprintf(g, "G%s,张伟,男,%04d-%02d-%02d,居民身份证,%s,某中学,110101,初中,1,0\n", id, y, m, d,
                id);
        fprintf(a, "G%s\n", id);
    }
    fclose(g);
    fclose(a);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    xjl_load_report rep;
    assert_int_equal(xjl_enrol_load_graduates(ws, csv, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, (size_t)n);
    assert_int_equal(xjl_school_set(ws, "H1", "第一高中", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_school_set_kind(ws, "H1", XJL_SCHOOL_SENIOR), XJL_OK);
    return ws;
}

/* The database work (thousands of VM instructions) of importing an assigned
 * list of n rows into a fresh workspace with a quota of `quota`. */
static uint64_t import_work(int n, size_t quota, size_t *admitted)
{
    char name[64], list[600];
    snprintf(name, sizeof name, "big%d-%zu.db", n, quota);
    xjl_workspace *ws = open_big_pool(name, n, list, sizeof list);
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, quota), XJL_OK);
    uint64_t before = xjl__store_work(xjl__ws_store(ws));
    xjl_load_report rep;
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "H1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    uint64_t work = xjl__store_work(xjl__ws_store(ws)) - before;
    assert_int_equal(rep.rows, (size_t)n);
    *admitted = rep.inserted;
    size_t q = 0, used = 0;
    assert_int_equal(xjl_enrol_quota(ws, "H1", YEAR, &q, &used), XJL_OK);
    assert_int_equal(used, rep.inserted);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    xjl_workspace_close(ws);
    return work;
}

/* Importing an assigned list is linear in its rows: the school's places
 * were counted again for every row (10,000 rows 10 s, 20,000 rows 42 s,
 * holding the write lock).  The bound is on the database's own work, which
 * does not depend on the machine: per row, 4,000 rows may cost at most 1.5
 * times what 1,000 rows cost (counting again made it ~4 times).  And the
 * quota still holds inside one list. */
static void test_assigned_list_is_linear(void **state)
{
    (void)state;
    size_t admitted;
    uint64_t small = import_work(1000, 1000000, &admitted);
    assert_int_equal(admitted, 1000);
    uint64_t large = import_work(4000, 1000000, &admitted);
    assert_int_equal(admitted, 4000);
    double per_small = (double)small / 1000, per_large = (double)large / 4000;
    if (!(per_large < 1.5 * per_small))
        fail_msg("work per row grows with the list: %.1f at 1,000 rows, %.1f at 4,000", per_small,
                 per_large);
    import_work(300, 120, &admitted);
    assert_int_equal(admitted, 120);
}

/* One row of an assigned list runs three statements: the graduate and its
 * other flows read at once, the list, the flow.  The school, its quota and
 * the list it was just put on were read again for every row, and the
 * graduate twice (nine statements, 2.1 CPU seconds for 100,000 rows); then
 * five, with an audit entry a row.  The list's one audit entry stands for
 * its flows: listing the audit of an admission it made shows it. */
static void test_assigned_row_statements(void **state)
{
    (void)state;
    char list[600];
    xjl_workspace *ws = open_big_pool("stmts.db", 200, list, sizeof list);
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 200), XJL_OK);
    struct xjl_store *st = xjl__ws_store(ws);
    uint64_t before = xjl__store_statements(st);
    xjl_load_report rep;
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "H1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 200);
    uint64_t per_row = (xjl__store_statements(st) - before) / 200;
    if (per_row > 3)
        fail_msg("a row of an assigned list runs %llu statements, at most 3 expected",
                 (unsigned long long)per_row);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admissions(ws, "H1", YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 200);
    int64_t last = xjl_listing_int(t, 199, "id");
    xjl_listing_free(t);
    assert_int_equal(xjl_workspace_audit(ws, "admission", last, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "action"), "import-assigned");
    assert_string_equal(xjl_listing_value(t, 0, "object"), "batch");
    assert_int_equal(xjl_listing_int(t, 0, "object_id"), (int64_t)rep.batch);
    xjl_listing_free(t);
    /* and the whole admission trail has it once, not once a row */
    assert_int_equal(xjl_workspace_audit(ws, "admission", 0, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

/* Whether graduate `number` is on school H1's assigned list for YEAR. */
static bool on_list(xjl_workspace *ws, const char *number)
{
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_grad g;
    assert_int_equal(xjl__store_grad_find(st, number, &g), XJL_OK);
    bool has = false;
    assert_int_equal(xjl__store_assign_has(st, "H1", YEAR, g.id, &has), XJL_OK);
    xjl__grad_clear(&g);
    return has;
}

/* A row of an assigned list that admission refuses (here: the quota is
 * full) is reported and leaves nothing: no flow and no row on the school's
 * list, so that the unified route does not take the graduate later as
 * assigned.  Once the quota allows it, the same list admits and lists it. */
static void test_assigned_refused_row_leaves_nothing(void **state)
{
    (void)state;
    char list[600], number[2][64];
    xjl_workspace *ws = open_big_pool("refused.db", 2, list, sizeof list);
    FILE *f = fopen(list, "rb");
    assert_non_null(f);
    char line[64];
    assert_non_null(fgets(line, sizeof line, f)); /* the header */
    for (int i = 0; i < 2; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(number[i], sizeof number[i], "%s", line);
    }
    fclose(f);
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 1), XJL_OK);
    xjl_load_report rep;
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "H1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.inserted, 1);
    assert_int_equal(rep.bad_rows, 1);
    assert_true(on_list(ws, number[0]));
    assert_false(on_list(ws, number[1]));
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admissions(ws, "H1", YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    xjl_listing_free(t);
    /* not assigned, so the unified route refuses it, quota or not */
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", YEAR, 2), XJL_OK);
    int64_t adm = 0;
    assert_int_equal(xjl_enrol_admit(ws, "H1", YEAR, number[1], XJL_ROUTE_UNIFIED, &adm, NULL),
                     XJL_ESTATE);
    /* the list again: the admitted row is refused as admitted here, the other now admitted */
    assert_int_equal(
        xjl_enrol_import_assigned(ws, "H1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 1);
    assert_int_equal(rep.bad_rows, 1);
    assert_true(on_list(ws, number[0]));
    assert_true(on_list(ws, number[1]));
    assert_int_equal(xjl_enrol_admissions(ws, "H1", YEAR, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 2);
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

static void test_names(void **state)
{
    (void)state;
    for (int k = XJL_SCHOOL_PRIMARY; k <= XJL_SCHOOL_VOCATIONAL; k++) {
        xjl_school_kind out;
        assert_int_equal(xjl_school_kind_parse(xjl_school_kind_name(k), &out), XJL_OK);
        assert_int_equal(out, k);
    }
    xjl_school_kind out;
    assert_int_equal(xjl_school_kind_parse("中职", &out), XJL_OK);
    assert_int_equal(out, XJL_SCHOOL_VOCATIONAL);
    assert_int_equal(xjl_school_kind_parse("大学", &out), XJL_EINVAL);
    assert_string_equal(xjl_enrol_route_name(XJL_ROUTE_SELF), "self");
    assert_string_equal(xjl_enrol_route_name(9), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_admit_rules),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_double_admission),
        cmocka_unit_test(test_double_admission_across_years),
        cmocka_unit_test(test_assigned_list_and_policy),
        cmocka_unit_test(test_cross_file_double_admission),
        cmocka_unit_test(test_assigned_list_is_linear),
        cmocka_unit_test(test_assigned_row_statements),
        cmocka_unit_test(test_assigned_refused_row_leaves_nothing),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_restore_survives_a_reload),
        cmocka_unit_test(test_stale_quota_request),
        cmocka_unit_test(test_unified_needs_an_assignment),
        cmocka_unit_test(test_kind_fixed_with_admissions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
