/* Nothing is lost: a process killed (SIGKILL) at any point of an import
 * (before each of its writes and fsyncs in turn) or at a random time of a
 * registry load leaves the workspace whole, with that import or load all
 * there or absent; and two processes on one workspace wait for each other
 * instead of failing. */
#include "workspace/workspace.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <time.h>

#include "vfs_shim.h"

#define REGISTRY_N 3000
#define ROSTER_N 3000
#define KILLS 30
#define EXTRA_N 5000
#define LOAD_KILLS 10

static char dir[512], db[600], registry[600], roster[600];

/* The writes and fsyncs of SQLite in this process since the last fork
 * (shared with the parent), and the one before which a child kills itself
 * (0: none).  A kill counted in the child's own I/O calls lands at the same
 * point however loaded the machine is; one timed by the clock did not: its
 * delays were fractions of one import timed at the start, so when the load
 * changed during the run, every kill fell before the commit (or after it),
 * and the check that both outcomes happen failed. */
static long *io_calls;
static long kill_at;

static int kill_hook(bool sync)
{
    (void)sync;
    if (++*io_calls == kill_at)
        raise(SIGKILL);
    return SQLITE_OK;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
                                    "刚", "桂", "英", "华", "梓", "涵", "宇", "轩", "睿", "欣"};

/* Person i: a name, gender, birth date and citizen number of its own. */
static void person(int i, char *name, size_t cap, int *male, char date[16], char id[19])
{
    snprintf(name, cap, "%s%s%s", surnames[i % 20], given[(i / 20) % 30], given[(i / 600) % 30]);
    *male = i % 2;
    int month = 1 + i % 12, day = 1 + (i / 12) % 28;
    snprintf(date, 16, "2018-%02d-%02d", month, day);
    fixture_id(id, 110101 + (i / 1000) % 5, 2018, month, day, (i % 500) * 2 + *male);
}

static void write_registry(const char *path, const char *prefix, int first, int n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    for (int i = first; i < first + n; i++) {
        char name[64], date[16], id[19], rid[32];
        int male;
        person(i, name, sizeof name, &male, date, id);
        snprintf(rid, sizeof rid, "%s%07d", prefix, i);
        fixture_registry_line(fp, rid, name, male ? "1" : "2", date, "1", id);
    }
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    io_calls =
        mmap(NULL, sizeof *io_calls, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(io_calls != MAP_FAILED);
    shim_register();
    shim_hook = kill_hook;
    fixture_dir(dir, sizeof dir);
    fixture_path(db, sizeof db, dir, "crash.db");
    fixture_path(registry, sizeof registry, dir, "registry.csv");
    fixture_path(roster, sizeof roster, dir, "roster.csv");
    write_registry(registry, "P", 0, REGISTRY_N);
    /* Half the list is in the registry, half is new. */
    FILE *fp = fopen(roster, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_ROSTER_HEADER, fp);
    for (int k = 0; k < ROSTER_N; k++) {
        int i = k % 2 ? k / 2 : 100000 + k;
        char name[64], date[16], id[19];
        int male;
        person(i, name, sizeof name, &male, date, id);
        fprintf(fp, "%s,%s,%s,居民身份证,%s\n", name, male ? "男" : "女", date, id);
    }
    fclose(fp);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, registry, XJL_ENC_AUTO, NULL, NULL, &rep),
                     XJL_OK);
    assert_int_equal(rep.inserted, REGISTRY_N);
    /* Lists come only from schools the workspace knows. */
    for (int k = 0; k <= KILLS; k++) {
        char school[16];
        snprintf(school, sizeof school, "C%d", k);
        assert_int_equal(xjl_school_set(ws, school, NULL, 0, NULL), XJL_OK);
    }
    assert_int_equal(xjl_school_set(ws, "W1", NULL, 0, NULL), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "W2", NULL, 0, NULL), XJL_OK);
    xjl_workspace_close(ws);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_cleanup(dir);
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* In a child: import the list into school, or load the extra registry. */
static void child_import(const char *school, int wait_fd)
{
    if (wait_fd >= 0) {
        char c;
        if (read(wait_fd, &c, 1) != 1)
            _exit(3);
    }
    xjl_workspace *ws = NULL;
    if (xjl_workspace_open(&ws, db) != XJL_OK)
        _exit(2);
    int rc = xjl_intake_import(ws, school, roster, XJL_ENC_AUTO, NULL, NULL, NULL);
    if (rc != XJL_OK)
        fprintf(stderr, "child %s: %s\n", school, xjl_errmsg());
    xjl_workspace_close(ws);
    _exit(rc == XJL_OK ? 0 : 1);
}

static void child_load(const char *path)
{
    xjl_workspace *ws = NULL;
    if (xjl_workspace_open(&ws, db) != XJL_OK)
        _exit(2);
    int rc = xjl_intake_load_registry(ws, path, XJL_ENC_AUTO, NULL, NULL, NULL);
    xjl_workspace_close(ws);
    _exit(rc == XJL_OK ? 0 : 1);
}

static void run_killed(void (*fn)(const char *), const char *arg, double delay_ms)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        fn(arg);
    struct timespec ts = {(time_t)(delay_ms / 1000),
                          (long)(((long long)(delay_ms * 1e6)) % 1000000000LL)};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
}

/* Checks the workspace is whole and returns the rows of a school. */
static long whole_rows(const char *school)
{
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    long n = fixture_rows(ws, school, -1);
    xjl_workspace_close(ws);
    return n;
}

/* Imports the roster into school in a child that kills itself (SIGKILL,
 * as kill -9) before its write or fsync number `at` (0: never); the
 * child's status. */
static int import_killed_at(const char *school, long at)
{
    *io_calls = 0;
    kill_at = at;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_import(school, -1);
    kill_at = 0;
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

/* Kills spread over every write and fsync of an import (its disk state at
 * any moment is that after one of them: between two, the process only
 * computes or reads), from the first to the close of the workspace: each
 * leaves the import whole or absent, and both happen. */
static void test_kill_during_import(void **state)
{
    (void)state;
    int status = import_killed_at("C0", 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    long calls = *io_calls;
    assert_int_equal(whole_rows("C0"), ROSTER_N);
    assert_true(calls >= KILLS);

    int none = 0, all = 0;
    for (int k = 1; k <= KILLS; k++) {
        char school[16];
        snprintf(school, sizeof school, "C%d", k);
        /* the last before the end of the timed import: a later import may
         * write a little less (the workspace's file has grown already) */
        long at = 1 + (calls - 1) * (k - 1) / KILLS;
        status = import_killed_at(school, at);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            fail_msg("the import into %s ended before its I/O call %ld (of %ld of the first)",
                     school, at, calls);
        long n = whole_rows(school);
        if (n != 0 && n != ROSTER_N)
            fail_msg("kill before I/O call %ld of %ld left %ld of %d rows of %s", at, calls, n,
                     ROSTER_N, school);
        none += n == 0;
        all += n == ROSTER_N;
        /* The earlier imports are untouched. */
        assert_int_equal(whole_rows("C0"), ROSTER_N);
    }
    print_message("import of %d rows: %ld writes and fsyncs; %d kills: %d left nothing, %d left "
                  "all\n",
                  ROSTER_N, calls, KILLS, none, all);
    assert_true(none > 0);
    assert_true(all > 0);
}

static void test_kill_during_registry_load(void **state)
{
    (void)state;
    char extra[600];
    fixture_path(extra, sizeof extra, dir, "extra.csv");
    write_registry(extra, "X", 200000, EXTRA_N);
    double t0 = now_ms();
    char probe[600];
    fixture_path(probe, sizeof probe, dir, "probe.db");
    /* Time a whole load on a scratch copy of the idea: a fresh workspace. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        xjl_workspace *ws = NULL;
        if (xjl_workspace_open(&ws, probe) != XJL_OK)
            _exit(2);
        int rc = xjl_intake_load_registry(ws, extra, XJL_ENC_AUTO, NULL, NULL, NULL);
        xjl_workspace_close(ws);
        _exit(rc == XJL_OK ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    double full = now_ms() - t0;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    srand(7);
    bool loaded = false;
    for (int k = 0; k < LOAD_KILLS && !loaded; k++) {
        run_killed(child_load, extra, full * 1.2 * (rand() / (double)RAND_MAX));
        xjl_workspace *ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
        assert_int_equal(xjl_workspace_check(ws), XJL_OK);
        size_t n = 0;
        assert_int_equal(xjl_intake_registry_count(ws, &n), XJL_OK);
        if (n != REGISTRY_N && n != REGISTRY_N + EXTRA_N)
            fail_msg("kill left %zu registry records (expected %d or %d)", n, REGISTRY_N,
                     REGISTRY_N + EXTRA_N);
        loaded = n == REGISTRY_N + EXTRA_N;
        xjl_workspace_close(ws);
    }
}

static void test_two_processes_wait(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t a = fork();
    if (a == 0) {
        close(fds[1]);
        child_import("W1", fds[0]);
    }
    pid_t b = fork();
    if (b == 0) {
        close(fds[1]);
        child_import("W2", fds[0]);
    }
    close(fds[0]);
    /* Both start at once: each reads one byte. */
    assert_int_equal(write(fds[1], "gg", 2), 2);
    close(fds[1]);
    int sa = 0, sb = 0;
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    assert_int_equal(whole_rows("W1"), ROSTER_N);
    assert_int_equal(whole_rows("W2"), ROSTER_N);
}

/* A busy timeout that runs out is XJL_EBUSY, never a hang or a corruption. */
static void test_busy_timeout(void **state)
{
    (void)state;
    xjl_workspace *holder = NULL, *other = NULL;
    assert_int_equal(xjl_workspace_open(&holder, db), XJL_OK);
    assert_int_equal(xjl_workspace_open(&other, db), XJL_OK);
    assert_int_equal(xjl_workspace_set_busy_timeout(other, 100), XJL_OK);
    assert_int_equal(xjl__store_begin(xjl__ws_store(holder)), XJL_OK);
    assert_int_equal(xjl_school_set(other, "B1", "x", 0, NULL), XJL_EBUSY);
    assert_non_null(strstr(xjl_errmsg(), "busy"));
    xjl__store_rollback(xjl__ws_store(holder));
    assert_int_equal(xjl_school_set(other, "B1", "x", 0, NULL), XJL_OK);
    assert_int_equal(xjl_workspace_set_busy_timeout(other, -1), XJL_EINVAL);
    xjl_workspace_close(holder);
    xjl_workspace_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_import),
        cmocka_unit_test(test_kill_during_registry_load),
        cmocka_unit_test(test_two_processes_wait),
        cmocka_unit_test(test_busy_timeout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
