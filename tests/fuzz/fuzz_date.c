/* Dates: a date read is a day that formats and reads back as itself. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int32_t day = 0, again = 0;
    xjl_finding finding = XJL_F_COUNT;
    int rc = xjl_date_parse((const char *)data, size, &day, &finding);
    FUZZ_CHECK(rc == XJL_OK || rc == XJL_EINVAL, "rc %d", rc);
    FUZZ_CHECK((rc == XJL_OK) == (day != XJL_DATE_NONE), "rc %d, day %d", rc, (int)day);
    FUZZ_CHECK(rc != XJL_OK || finding == XJL_F_NONE || !xjl_finding_is_error(finding),
               "read with the error finding %d", (int)finding);
    if (rc != XJL_OK)
        return 0;
    char buf[32];
    FUZZ_CHECK(xjl_date_format(day, buf, sizeof buf) >= 0, "day %d does not format", (int)day);
    FUZZ_CHECK(xjl_date_parse(buf, XJL_NTS, &again, NULL) == XJL_OK && again == day,
               "'%s' reads as %d, not %d", buf, (int)again, (int)day);
    int y, m, d;
    FUZZ_CHECK(xjl_date_to_ymd(day, &y, &m, &d) == XJL_OK && xjl_date_from_ymd(y, m, d) == day,
               "day %d", (int)day);
    return 0;
}
