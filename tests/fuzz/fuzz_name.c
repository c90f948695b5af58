/* Names: every form of every input is either refused with a finding or
 * text that normalises to itself (idempotence); DISPLAY is in NFC. */
#include "fuzz.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

static void check_form(const uint8_t *data, size_t size, xjl_name_form form)
{
    char out[4 * XJL_NAME_MAX_BYTES], again[4 * XJL_NAME_MAX_BYTES];
    size_t len = 0, len2 = 0;
    uint32_t f = 0, f2 = 0;
    int rc = xjl_name_normalize((const char *)data, size, form, out, sizeof out, &len, &f);
    FUZZ_CHECK(rc == XJL_OK || rc == XJL_EINVAL, "form %d: rc %d", form, rc);
    if (rc != XJL_OK)
        return;
    FUZZ_CHECK(strlen(out) == len, "form %d: length %zu, text of %zu", form, len, strlen(out));
    if (form == XJL_NAME_PINYIN)
        return; /* pinyin of pinyin is not a name form */
    rc = xjl_name_normalize(out, len, form, again, sizeof again, &len2, &f2);
    FUZZ_CHECK(rc == XJL_OK, "form %d: its own output '%s' is refused (findings %#x)", form, out,
               (unsigned)f2);
    FUZZ_CHECK(len2 == len && memcmp(out, again, len) == 0, "form %d: not idempotent: '%s' -> '%s'",
               form, out, again);
    if (form != XJL_NAME_DISPLAY)
        return;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    UChar u[4 * XJL_NAME_MAX_BYTES];
    int32_t ulen = 0;
    u_strFromUTF8(u, (int32_t)(sizeof u / sizeof u[0]), &ulen, out, (int32_t)len, &err);
    FUZZ_CHECK(U_SUCCESS(err), "DISPLAY '%s' is not UTF-8", out);
    FUZZ_CHECK(unorm2_isNormalized(nfc, u, ulen, &err) && U_SUCCESS(err),
               "DISPLAY '%s' is not in NFC", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int form = XJL_NAME_DISPLAY; form <= XJL_NAME_PINYIN; form++)
        check_form(data, size, (xjl_name_form)form);
    return 0;
}
