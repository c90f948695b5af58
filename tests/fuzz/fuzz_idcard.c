/* ID numbers: under every document type, a number is read or refused with
 * a finding, and the normalised text of a usable number reads as itself. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {"1", "2", "3", "4", "5", "6", "7",
                                        "8", "9", "A", "B", "C", "Z"};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        xjl_id_type type;
        if (xjl_id_type_parse(types[t], XJL_NTS, &type) != XJL_OK)
            continue;
        xjl_id_info a, b;
        int rc = xjl_id_parse((const char *)data, size, type, &a);
        FUZZ_CHECK(rc == XJL_OK || rc == XJL_EINVAL, "type %s: rc %d", types[t], rc);
        if (rc != XJL_OK)
            continue;
        FUZZ_CHECK(xjl_id_parse(a.normalized, XJL_NTS, type, &b) == XJL_OK,
                   "type %s: its own normalised '%s' is refused", types[t], a.normalized);
        FUZZ_CHECK(strcmp(a.normalized, b.normalized) == 0, "type %s: '%s' -> '%s'", types[t],
                   a.normalized, b.normalized);
    }
    return 0;
}
