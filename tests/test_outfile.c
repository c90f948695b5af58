/* Output files (lib/util/outfile.c): an input is never replaced, through
 * any link; a file is replaced whole at commit and untouched by an abort. */
#include "io/io.h"
#include "util/util.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define dir fixture_group_dir()

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static size_t entries(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void test_inputs_refused_through_links(void **state)
{
    (void)state;
    char in[600], sym[600], hard[600], wal[620], other[600], buf[256];
    fixture_path(in, sizeof in, dir, "in.csv");
    fixture_path(sym, sizeof sym, dir, "sym.csv");
    fixture_path(hard, sizeof hard, dir, "hard.csv");
    fixture_path(other, sizeof other, dir, "other.csv");
    snprintf(wal, sizeof wal, "%s-wal", in);
    fixture_write(in, "the input\n");
    fixture_write(wal, "its log\n");
    assert_int_equal(symlink(in, sym), 0);
    assert_int_equal(link(in, hard), 0);
    const char *inputs[] = {NULL, in};
    const char *const names[] = {in, sym, hard, wal};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        xjl_output *o = (xjl_output *)1;
        assert_int_equal(xjl_output_open(&o, names[i], inputs, 2), XJL_EINVAL);
        assert_null(o);
        assert_non_null(strstr(xjl_errmsg(), "same file"));
        assert_non_null(strstr(xjl_errmsg(), names[i]));
    }
    /* by identity too (what an index remembers of the files it read) */
    struct xjl__file_id id;
    assert_true(xjl__file_id_of(sym, &id));
    xjl_output *o = NULL;
    assert_int_equal(xjl__output_open(&o, hard, &id, 1, NULL, 0), XJL_EINVAL);
    slurp(in, buf, sizeof buf);
    assert_string_equal(buf, "the input\n");
    /* another file is fine */
    assert_int_equal(xjl_output_open(&o, other, inputs, 2), XJL_OK);
    fputs("out\n", xjl_output_stream(o));
    assert_int_equal(xjl_output_commit(o), XJL_OK);
    slurp(other, buf, sizeof buf);
    assert_string_equal(buf, "out\n");
}

/* Whether a file being written has no name in dir (O_TMPFILE, linked
 * through /proc when it is done): the temporary files then do not show. */
static bool unnamed_files(void)
{
    int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
    return fd >= 0 && access("/proc/self/fd", X_OK) == 0;
}

static void test_commit_replaces_abort_keeps(void **state)
{
    (void)state;
    char path[600], buf[256];
    fixture_path(path, sizeof path, dir, "result.csv");
    fixture_write(path, "previous result\n");
    assert_int_equal(chmod(path, 0640), 0);
    size_t n0 = entries();

    xjl_output *o = NULL;
    assert_int_equal(xjl_output_open(&o, path, NULL, 0), XJL_OK);
    fputs("half a res", xjl_output_stream(o));
    fflush(xjl_output_stream(o));
    /* until the commit, the destination holds the previous result */
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "previous result\n");
    /* a killed run leaves no temporary file where it has no name */
    assert_int_equal(entries(), n0 + !unnamed_files());
    xjl_output_abort(o);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "previous result\n");
    assert_int_equal(entries(), n0);
    xjl_output_abort(NULL);

    /* a run killed while it writes: the previous result, and (where the
     * file being written has no name) nothing else */
    if (unnamed_files()) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            xjl_output *k = NULL;
            if (xjl_output_open(&k, path, NULL, 0) != XJL_OK)
                _exit(2);
            fputs("killed while writing", xjl_output_stream(k));
            fflush(xjl_output_stream(k));
            raise(SIGKILL);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        slurp(path, buf, sizeof buf);
        assert_string_equal(buf, "previous result\n");
        assert_int_equal(entries(), n0);
    }

    assert_int_equal(xjl_output_open(&o, path, NULL, 0), XJL_OK);
    fputs("new\n", xjl_output_stream(o));
    assert_int_equal(xjl_output_commit(o), XJL_OK);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "new\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(entries(), n0);

    /* a symbolic link's target is replaced, the link stays */
    char sym[600];
    fixture_path(sym, sizeof sym, dir, "result-link.csv");
    assert_int_equal(symlink(path, sym), 0);
    assert_int_equal(xjl_output_open(&o, sym, NULL, 0), XJL_OK);
    fputs("through the link\n", xjl_output_stream(o));
    assert_int_equal(xjl_output_commit(o), XJL_OK);
    assert_int_equal(lstat(sym, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "through the link\n");
}

static void test_not_regular_and_errors(void **state)
{
    (void)state;
    xjl_output *o = NULL;
    /* a device is written in place, never renamed over */
    assert_int_equal(xjl_output_open(&o, "/dev/null", NULL, 0), XJL_OK);
    fputs("x", xjl_output_stream(o));
    assert_int_equal(xjl_output_commit(o), XJL_OK);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(xjl_output_open(&o, "/dev/full", NULL, 0), XJL_OK);
        for (int i = 0; i < 10000; i++)
            fputs("0123456789", xjl_output_stream(o));
        assert_int_equal(xjl_output_commit(o), XJL_EIO);
        assert_non_null(strstr(xjl_errmsg(), "/dev/full"));
    }
    char path[600];
    fixture_path(path, sizeof path, dir, "no/such/dir.csv");
    assert_int_equal(xjl_output_open(&o, path, NULL, 0), XJL_EIO);
    assert_non_null(strstr(xjl_errmsg(), path));
    assert_int_equal(xjl_output_open(&o, dir, NULL, 0), XJL_EIO);
    assert_int_equal(xjl_output_open(NULL, path, NULL, 0), XJL_EINVAL);
    assert_int_equal(xjl_output_open(&o, "", NULL, 0), XJL_EINVAL);
    assert_int_equal(xjl_output_commit(NULL), XJL_EINVAL);
}

/* A CSV result of 20 MB, past the steps at which the writer starts the
 * disk writes of what it wrote (xjl__output_written): the file committed is
 * every row, byte for byte; one discarded after those steps leaves no file
 * and no temporary one. */
static void test_large_output_whole(void **state)
{
    (void)state;
    char path[600], gone[600];
    fixture_path(path, sizeof path, dir, "large.csv");
    fixture_path(gone, sizeof gone, dir, "discarded.csv");
    enum { ROWS = 400000 };
    size_t cap = (size_t)ROWS * 64, len = 0;
    char *want = malloc(cap);
    assert_non_null(want);
    size_t before = entries();
    for (int pass = 0; pass < 2; pass++) {
        xjl_csv_writer *w = NULL;
        assert_int_equal(xjl_csv_writer_open(&w, pass ? gone : path, 0), XJL_OK);
        for (int r = 0; r < ROWS; r++) {
            char a[32], b[48];
            int na = snprintf(a, sizeof a, "R%07d", r);
            int nb = snprintf(b, sizeof b, r % 7 ? "name %d" : "say \"%d\", twice", r * 31);
            xjl_csv_writer_field(w, a, (size_t)na);
            xjl_csv_writer_field(w, b, (size_t)nb);
            xjl_csv_writer_field(w, "0123456789abcdefghij", XJL_NTS);
            xjl_csv_writer_end_row(w);
            if (!pass && r % 7)
                len +=
                    (size_t)snprintf(want + len, cap - len, "%s,%s,0123456789abcdefghij\n", a, b);
            else if (!pass) /* quoted, its quotes doubled */
                len += (size_t)snprintf(want + len, cap - len,
                                        "%s,\"say \"\"%d\"\", twice\",0123456789abcdefghij\n", a,
                                        r * 31);
        }
        if (pass)
            xjl_csv_writer_discard(w);
        else
            assert_int_equal(xjl_csv_writer_close(w), XJL_OK);
    }
    assert_true(len > 16u << 20);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((size_t)st.st_size, len);
    char *got = malloc(len + 1);
    assert_non_null(got);
    slurp(path, got, len + 1);
    assert_memory_equal(got, want, len);
    assert_int_equal(stat(gone, &st), -1);
    assert_int_equal(entries(), before + 1); /* the large file only: no temporary one left */
    unlink(path);
    free(got);
    free(want);
}

/* fsync through the linker (-Wl,--wrap=fsync): a directory's fails with
 * dir_sync_errno when it is set, as on a file system that cannot sync a
 * directory (EINVAL) or a failing device (EIO). */
int __real_fsync(int fd);
int __wrap_fsync(int fd);
static int dir_sync_errno, dir_syncs;

int __wrap_fsync(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        dir_syncs++;
        if (dir_sync_errno) {
            errno = dir_sync_errno;
            return -1;
        }
    }
    return __real_fsync(fd);
}

/* The sync of the directory after the rename, for a result and for an
 * index file alike: EINVAL is a file system without it (the file stands),
 * any other error fails the step, by the file's name.  (The rename is done
 * by then: the step says its result may not be on disk.) */
static void test_directory_sync(void **state)
{
    (void)state;
    char path[600], ixpath[600];
    fixture_path(path, sizeof path, dir, "synced.csv");
    fixture_path(ixpath, sizeof ixpath, dir, "synced.xjx");
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    const int errs[] = {0, EINVAL, EIO};
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        dir_sync_errno = errs[i];
        dir_syncs = 0;
        xjl_output *o = NULL;
        assert_int_equal(xjl_output_open(&o, path, NULL, 0), XJL_OK);
        fputs("a result\n", xjl_output_stream(o));
        int rc = xjl_output_commit(o);
        assert_int_equal(rc, errs[i] == EIO ? XJL_EIO : XJL_OK);
        if (rc)
            assert_non_null(strstr(xjl_errmsg(), path));
        rc = xjl_index_save(ix, ixpath);
        assert_int_equal(rc, errs[i] == EIO ? XJL_EIO : XJL_OK);
        if (rc)
            assert_non_null(strstr(xjl_errmsg(), ixpath));
        assert_int_equal(dir_syncs, 2);
    }
    dir_sync_errno = 0;
    xjl_index_free(ix);
    unlink(path);
    unlink(ixpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inputs_refused_through_links),
        cmocka_unit_test(test_commit_replaces_abort_keeps),
        cmocka_unit_test(test_not_regular_and_errors),
        cmocka_unit_test(test_large_output_whole),
        cmocka_unit_test(test_directory_sync),
    };
    return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
