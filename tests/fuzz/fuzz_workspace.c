/* The workspace file opener, over any bytes (header and pages, as
 * SQLite's own dbsqlfuzz does): a file is refused with a message, or opened
 * as a workspace that can be checked, listed and closed. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    char path[] = "/tmp/xjl-fuzz-ws-XXXXXX";
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0, "mkstemp");
    FUZZ_CHECK(write(fd, data, size) == (ssize_t)size, "write");
    close(fd);
    xjl_workspace *ws = NULL;
    int rc = xjl_workspace_open(&ws, path);
    FUZZ_CHECK(rc == XJL_OK || rc < 0, "rc %d", rc);
    if (rc == XJL_OK) {
        FUZZ_CHECK(xjl_workspace_schema_version(ws) == XJL_WORKSPACE_SCHEMA_VERSION,
                   "opened at version %d", xjl_workspace_schema_version(ws));
        (void)xjl_workspace_check(ws);
        xjl_listing *t = NULL;
        if (xjl_workspace_audit(ws, NULL, 0, &t) == XJL_OK)
            xjl_listing_free(t);
        xjl_workspace_close(ws);
    } else {
        FUZZ_CHECK(ws == NULL && *xjl_errmsg(), "refused without a message (rc %d)", rc);
    }
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        char side[64];
        snprintf(side, sizeof side, "%s%s", path, sides[i]);
        unlink(side);
    }
    return 0;
}
