/*
 * bench_intake: the workspace's cost over the bare matcher.
 *
 * Writes a synthetic preschool registry (XJL_BENCH_REGISTRY records,
 * default 1,000,000) and a school list of XJL_BENCH_ROSTER rows (default
 * 2,000; half of them in the registry), then measures
 *  - loading the registry into a workspace (one transaction, then the index
 *    built from the workspace and written to its file),
 *  - the first import of the list in the same handle and a second one,
 * against the baseline of the same run: the bare matcher on an index built
 * straight from the CSV, matching the same list.  It prints seconds, the
 * ratio to the baseline, and the workspace's bytes per registry record
 * against the CSV's.
 *
 * Then the steps a school clicks, each as a whole process of the xjlink
 * program given in XJL_BENCH_CLI (each opens the workspace's index file
 * instead of rebuilding the index): `intake import` of a 50-row list and
 * `intake edit` of one row (matched again), best of three, against the
 * baseline's index build.
 *
 * Then a refresh of the registry (`intake load-registry` of 1,000 rows: 700
 * children new, 300 records met again with another name) as a whole
 * process, and the `intake edit` after it (a row edited to a child the
 * refresh added): the refresh applies its rows to the index file as
 * changes.  Before, in the same run: the same kind of refresh when the
 * step must first rebuild the index from the table (its file removed),
 * which is what every refresh cost before it was applied as changes.
 */
#include "xjlink.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                       "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
                                    "刚", "桂", "英", "华", "梓", "涵", "宇", "轩", "睿", "欣",
                                    "浩", "然", "子", "萱", "一", "诺", "晨", "博", "雅", "琪"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* Person i: a name, gender, birth date (2017-2018) and its own citizen number. */
static void person(long i, char *name, size_t cap, int *male, char *date, char id[19])
{
    snprintf(name, cap, "%s%s%s", surnames[i % 30], given[(i / 30) % 40], given[(i / 1200) % 40]);
    *male = (int)(i % 2);
    int year = 2017 + (int)((i / 336) % 2), month = 1 + (int)(i % 12),
        day = 1 + (int)((i / 12) % 28);
    sprintf(date, "%04d-%02d-%02d", year, month, day);
    char first17[32];
    /* Region and sequence spread the numbers: unique for i < 100 * 500 * 672. */
    snprintf(first17, sizeof first17, "%06ld%04d%02d%02d%03ld", 110101 + (i / 336000) % 100, year,
             month, day, ((i / 672) % 500) * 2 + *male);
    memcpy(id, first17, 17);
    id[17] = xjl_id_check_char(first17);
    id[18] = '\0';
}

/* Registered children are drawn so that no child is on two schools' lists
 * (an import warns of such a child, and the step then exits 3), whatever the
 * registry's size: the rosters take records i = 0 mod 3, the 50-row lists
 * i = 1 mod 3, the edits and the refresh's updates i = 2 mod 3, each the
 * n-th of its class spread by a prime stride (distinct for n below a third
 * of the registry). */
static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static long registered(long nreg, long cls, long n, long stride)
{
    long third = nreg / 3;
    while (gcd(stride, third) != 1) /* a stride prime to the class's size */
        stride++;
    return (long)(((unsigned long long)n * (unsigned long long)stride) %
                  (unsigned long long)third) *
               3 +
           cls;
}

/* Persons beyond the registry (new children) go up to nreg + this; person()
 * gives distinct ID numbers below 100 * 500 * 672. */
enum { NEW_PERSONS = 4000100 };

/* CPU seconds (user + system) of the children waited for so far. */
static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds (user + system) of this process, all its threads. */
static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Wall seconds of a shell command, or -1 if it failed; *cpu its CPU seconds
 * (on a loaded machine the wall time is mostly waiting for a core). */
static double timed(const char *cmd, double *cpu)
{
    double c0 = children_cpu(), t0 = now();
    int st = system(cmd);
    double t = now() - t0;
    *cpu = children_cpu() - c0;
    return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

/* The school steps as whole processes of the xjlink program cli. */
static int cli_steps(const char *cli, const char *db, const char *d, long nreg, double t_base_index)
{
    double best_import = -1, best_edit = -1, cpu_import = 0, cpu_edit = 0, cpu;
    char list[700], cmd[2400];
    for (int k = 0; k < 3; k++) {
        snprintf(list, sizeof list, "%s/list50-%d.csv", d, k);
        FILE *fp = fopen(list, "wb");
        fputs("姓名,性别,出生日期,身份证件类型,身份证件号\n", fp);
        for (long j = 0; j < 50; j++) {
            long i = j % 2 ? registered(nreg, 1, k * 50 + j, 104729) : nreg + 500000 + j + k * 50;
            char name[64], date[16], id[19];
            int male;
            person(i, name, sizeof name, &male, date, id);
            fprintf(fp, "%s,%s,%s,居民身份证,%s\n", name, male ? "男" : "女", date, id);
        }
        fclose(fp);
        snprintf(cmd, sizeof cmd,
                 "'%s' intake import '%s' --school C%d '%s' --operator bench > /dev/null 2>&1", cli,
                 db, k, list);
        double t = timed(cmd, &cpu);
        if (t < 0) {
            fprintf(stderr, "bench_intake: %s failed\n", cmd);
            return 1;
        }
        if (best_import < 0 || t < best_import) {
            best_import = t;
            cpu_import = cpu;
        }
        /* a row that was not found, edited to the values of a registered child */
        xjl_workspace *ws = NULL;
        xjl_listing *t_rows = NULL;
        if (xjl_workspace_open(&ws, db) != XJL_OK) {
            fprintf(stderr, "bench_intake: %s\n", xjl_errmsg());
            return 1;
        }
        char sch[8];
        snprintf(sch, sizeof sch, "C%d", k);
        int rc = xjl_intake_list(ws, sch, XJL_ROW_NOT_FOUND, &t_rows);
        long long row =
            rc == XJL_OK && xjl_listing_rows(t_rows) ? xjl_listing_int(t_rows, 0, "id") : 0;
        xjl_listing_free(t_rows);
        xjl_workspace_close(ws);
        if (!row) {
            fprintf(stderr, "bench_intake: no not_found row in list %d\n", k);
            return 1;
        }
        char name[64], date[16], id[19];
        int male;
        person(registered(nreg, 2, k, 7919), name, sizeof name, &male, date, id);
        snprintf(cmd, sizeof cmd,
                 "'%s' intake edit '%s' %lld --name %s --gender %d --birth-date %s "
                 "--id-number %s --operator bench > /dev/null 2>&1",
                 cli, db, row, name, male ? 1 : 2, date, id);
        t = timed(cmd, &cpu);
        if (t < 0) {
            fprintf(stderr, "bench_intake: %s failed\n", cmd);
            return 1;
        }
        if (best_edit < 0 || t < best_edit) {
            best_edit = t;
            cpu_edit = cpu;
        }
    }
    printf("xjlink intake import of a 50-row list, whole process: %.3f s wall, %.3f s CPU "
           "(%.4fx the baseline index build)\n",
           best_import, cpu_import, best_import / t_base_index);
    printf("xjlink intake edit of one row (matched again), whole process: %.3f s wall, %.3f s "
           "CPU (%.4fx the baseline index build)\n",
           best_edit, cpu_edit, best_edit / t_base_index);
    return 0;
}

/* A refresh file of 1,000 rows (round r): 700 new children, 300 records
 * met again with the name of the next person. */
static void refresh_file(const char *path, long nreg, int r)
{
    FILE *fp = fopen(path, "wb");
    fputs("学前学籍ID,姓名,性别,出生日期,出生地码,民族码,国籍/地区码,身份证件类型,身份证件号,"
          "港澳台侨外码,户口性质,户口所在地码,现住址,残疾类型码,是否独生子女,是否留守儿童,"
          "是否进城务工人员子女,是否孤儿\n",
          fp);
    for (long j = 0; j < 1000; j++) {
        long i = j < 700 ? nreg + 3000000 + r * 1000 + j
                         : registered(nreg, 2, 3 + r * 300 + (j - 700), 7919);
        char name[64], date[16], id[19];
        int male;
        person(i, name, sizeof name, &male, date, id);
        if (j >= 700) { /* another name: the record updated */
            char other[64], d2[16], id2[19];
            int m2;
            person(i + 1, other, sizeof other, &m2, d2, id2);
            memcpy(name, other, sizeof name);
        }
        fprintf(fp,
                "P%09ld,%s,%d,%s,110101,01,CHN,1,%s,00,2,110101,某市某区某街道%ld号,0,1,0,0,0\n", i,
                name, male ? 1 : 2, date, id, i % 300);
    }
    fclose(fp);
}

/* The refresh as a whole process, then an edit of a row not found to the
 * values of a child it added, as a whole process. */
static int refresh_step(const char *cli, const char *db, const char *d, long nreg, int r,
                        bool stale, const char *what)
{
    char path[700], cmd[2400];
    snprintf(path, sizeof path, "%s/refresh-%d.csv", d, r);
    refresh_file(path, nreg, r);
    /* a row not found, in a handle of its own (its index then current) */
    xjl_workspace *ws = NULL;
    char name[64], date[16], id[19];
    int male;
    person(nreg + 4000000 + r, name, sizeof name, &male, date, id);
    xjl_record rec = {name, male ? "1" : "2", date, "1", id};
    int64_t row = 0;
    xjl_row_status st;
    if (xjl_workspace_open(&ws, db) != XJL_OK ||
        xjl_intake_add(ws, "C0", &rec, &row, &st) != XJL_OK) {
        fprintf(stderr, "bench_intake: %s\n", xjl_errmsg());
        return 1;
    }
    xjl_workspace_close(ws);
    if (stale) { /* the step rebuilds the index from the table first */
        char ixfile[700];
        snprintf(ixfile, sizeof ixfile, "%s.registry.xjx", db);
        unlink(ixfile);
    }
    double cpu_refresh, cpu_edit;
    snprintf(cmd, sizeof cmd,
             "'%s' intake load-registry '%s' '%s' --operator bench > /dev/null 2>&1", cli, db,
             path);
    double t_refresh = timed(cmd, &cpu_refresh);
    person(nreg + 3000000 + r * 1000 + 5, name, sizeof name, &male, date, id);
    snprintf(cmd, sizeof cmd,
             "'%s' intake edit '%s' %lld --name %s --gender %d --birth-date %s "
             "--id-number %s --operator bench > /dev/null 2>&1",
             cli, db, (long long)row, name, male ? 1 : 2, date, id);
    double t_edit = timed(cmd, &cpu_edit);
    if (t_refresh < 0 || t_edit < 0) {
        fprintf(stderr, "bench_intake: a refresh step failed: %s\n", cmd);
        return 1;
    }
    ws = NULL;
    if (xjl_workspace_open(&ws, db) != XJL_OK || xjl_intake_status(ws, row, &st) != XJL_OK ||
        st != XJL_ROW_MATCHED) {
        fprintf(stderr, "bench_intake: the edited row is not matched to the child added\n");
        return 1;
    }
    xjl_workspace_close(ws);
    printf("%s: refresh of 1,000 rows (700 new, 300 updated), whole process: %.3f s wall, %.3f s "
           "CPU; the next intake edit: %.3f s wall, %.3f s CPU\n",
           what, t_refresh, cpu_refresh, t_edit, cpu_edit);
    return 0;
}

static int refresh_steps(const char *cli, const char *db, const char *d, long nreg)
{
    if (refresh_step(cli, db, d, nreg, 0, false, "applied as changes") != 0 ||
        refresh_step(cli, db, d, nreg, 1, true, "before (index rebuilt from the table)") != 0)
        return 1;
    return refresh_step(cli, db, d, nreg, 2, false, "applied as changes, again");
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

int main(void)
{
    long nreg = env_long("XJL_BENCH_REGISTRY", 1000000), nrost = env_long("XJL_BENCH_ROSTER", 2000);
    if (nreg / 3 < 2 * nrost || nreg / 3 < 1000 || nrost > 200000 ||
        nreg > 100L * 500 * 672 - NEW_PERSONS) {
        fprintf(stderr,
                "bench_intake: XJL_BENCH_REGISTRY %ld and XJL_BENCH_ROSTER %ld: the registry "
                "needs 3,000 records and 6 times the list's rows, at most %ld; the list at most "
                "200,000 rows\n",
                nreg, nrost, 100L * 500 * 672 - NEW_PERSONS);
        return 2;
    }
    char dir[] = "/tmp/xjl_bench_XXXXXX";
    const char *tmp = getenv("TMPDIR");
    char dirbuf[512];
    snprintf(dirbuf, sizeof dirbuf, "%s/xjl_bench_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *d = mkdtemp(tmp && *tmp ? dirbuf : dir);
    if (!d) {
        perror("mkdtemp");
        return 1;
    }
    char reg[600], rost[600], db[600], rost2[600];
    snprintf(reg, sizeof reg, "%s/registry.csv", d);
    snprintf(rost, sizeof rost, "%s/roster.csv", d);
    snprintf(rost2, sizeof rost2, "%s/roster2.csv", d);
    snprintf(db, sizeof db, "%s/ws.db", d);

    FILE *fp = fopen(reg, "wb");
    fputs("学前学籍ID,姓名,性别,出生日期,出生地码,民族码,国籍/地区码,身份证件类型,身份证件号,"
          "港澳台侨外码,户口性质,户口所在地码,现住址,残疾类型码,是否独生子女,是否留守儿童,"
          "是否进城务工人员子女,是否孤儿\n",
          fp);
    for (long i = 0; i < nreg; i++) {
        char name[64], date[16], id[19];
        int male;
        person(i, name, sizeof name, &male, date, id);
        fprintf(fp,
                "P%09ld,%s,%d,%s,110101,01,CHN,1,%s,00,2,110101,某市某区某街道%ld号,0,1,0,0,0\n", i,
                name, male ? 1 : 2, date, id, i % 300);
    }
    fclose(fp);
    /* Two lists: half in the registry, half new. */
    for (int k = 0; k < 2; k++) {
        fp = fopen(k ? rost2 : rost, "wb");
        fputs("姓名,性别,出生日期,身份证件类型,身份证件号\n", fp);
        for (long j = 0; j < nrost; j++) {
            long i =
                j % 2 ? registered(nreg, 0, k * nrost + j, 7919) : nreg + 100000 + j + k * nrost;
            char name[64], date[16], id[19];
            int male;
            person(i, name, sizeof name, &male, date, id);
            fprintf(fp, "%s,%s,%s,居民身份证,%s\n", name, male ? "男" : "女", date, id);
        }
        fclose(fp);
    }

    /* Baseline: the bare matcher, index straight from the CSV. */
    double t0 = now();
    xjl_index *ix = NULL;
    if (xjl_index_new(&ix) != XJL_OK ||
        xjl_index_add_csv(ix, reg, XJL_ENC_UTF8, "学前学籍ID", NULL, NULL, NULL) != XJL_OK ||
        xjl_index_build(ix, 0) != XJL_OK) {
        fprintf(stderr, "baseline index: %s\n", xjl_errmsg());
        return 1;
    }
    double t_base_index = now() - t0;
    xjl_matcher *m = NULL;
    if (xjl_matcher_new(&m, ix) != XJL_OK) {
        fprintf(stderr, "baseline matcher: %s\n", xjl_errmsg());
        return 1;
    }
    xjl_csv *csv = NULL;
    int cols[5];
    xjl_csv_open(&csv, rost, XJL_ENC_UTF8);
    xjl_csv_key_columns(csv, cols);
    xjl_record *recs = calloc((size_t)nrost, sizeof *recs);
    char **text = calloc((size_t)nrost * 5, sizeof *text);
    size_t n = 0;
    while (xjl_csv_next(csv) > 0 && n < (size_t)nrost) {
        for (int f = 0; f < 5; f++)
            text[n * 5 + f] = strdup(xjl_csv_field(csv, (size_t)cols[f], NULL));
        recs[n] = (xjl_record){text[n * 5], text[n * 5 + 1], text[n * 5 + 2], text[n * 5 + 3],
                               text[n * 5 + 4]};
        n++;
    }
    xjl_csv_close(csv);
    xjl_result **res = calloc(n, sizeof *res);
    t0 = now();
    xjl_matcher_match_many(m, recs, n, 0, res);
    double t_base_match = now() - t0;
    size_t matched = 0;
    for (size_t i = 0; i < n; i++) {
        matched += xjl_result_status(res[i]) == XJL_MATCHED;
        xjl_result_free(res[i]);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);

    /* The workspace. */
    xjl_workspace *ws = NULL;
    if (xjl_workspace_open(&ws, db) != XJL_OK) {
        fprintf(stderr, "%s\n", xjl_errmsg());
        return 1;
    }
    /* The lists go to known schools: an import refuses any other. */
    static const char *const schools[] = {"S1", "S2", "C0", "C1", "C2"};
    for (size_t k = 0; k < sizeof schools / sizeof *schools; k++)
        if (xjl_school_set(ws, schools[k], NULL, 110101, NULL) != XJL_OK) {
            fprintf(stderr, "school %s: %s\n", schools[k], xjl_errmsg());
            return 1;
        }
    xjl_load_report rep;
    t0 = now();
    double c0 = self_cpu();
    if (xjl_intake_load_registry(ws, reg, XJL_ENC_UTF8, NULL, NULL, &rep) != XJL_OK) {
        fprintf(stderr, "load: %s\n", xjl_errmsg());
        return 1;
    }
    double t_load = now() - t0, c_load = self_cpu() - c0;
    t0 = now();
    if (xjl_intake_import(ws, "S1", rost, XJL_ENC_UTF8, NULL, NULL, &rep) != XJL_OK) {
        fprintf(stderr, "import: %s\n", xjl_errmsg());
        return 1;
    }
    double t_first = now() - t0;
    size_t ws_matched = rep.matched;
    t0 = now();
    if (xjl_intake_import(ws, "S2", rost2, XJL_ENC_UTF8, NULL, NULL, &rep) != XJL_OK) {
        fprintf(stderr, "import: %s\n", xjl_errmsg());
        return 1;
    }
    double t_second = now() - t0;
    xjl_workspace_close(ws);
    long db_bytes = file_size(db), csv_bytes = file_size(reg);

    printf("registry %ld records, list %zu rows (%zu matched by the bare matcher, %zu in the "
           "workspace)\n",
           nreg, n, matched, ws_matched);
    printf("baseline: index from CSV %.2f s, matching the list %.3f s\n", t_base_index,
           t_base_match);
    printf("load-registry into the workspace: %.2f s wall, %.2f s CPU (%.0f records/s; %.2fx the "
           "baseline index build)\n",
           t_load, c_load, nreg / t_load, t_load / t_base_index);
    printf(
        "import + match, first (same handle as the load): %.2f s (%.2fx baseline index + match)\n",
        t_first, t_first / (t_base_index + t_base_match));
    printf("import + match, index warm: %.3f s (%.2fx the bare matcher)\n", t_second,
           t_second / t_base_match);
    printf("workspace: %.0f bytes per registry record (CSV %.0f: %.2fx)\n", (double)db_bytes / nreg,
           (double)csv_bytes / nreg, (double)db_bytes / csv_bytes);

    const char *cli = getenv("XJL_BENCH_CLI");
    if (cli && *cli && cli_steps(cli, db, d, nreg, t_base_index) != 0)
        return 1;
    if (cli && *cli && refresh_steps(cli, db, d, nreg) != 0)
        return 1;

    for (size_t i = 0; i < n * 5; i++)
        free(text[i]);
    free(text);
    free(recs);
    free(res);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    return system(cmd) == 0 ? 0 : 1;
}
