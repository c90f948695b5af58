/*
 * 身份证件号: citizen numbers (GB 11643-1999), the residence permits of Hong
 * Kong, Macao and Taiwan residents and the 2023 permanent residence cards of
 * foreigners (both on the citizen scheme), the old permanent residence cards,
 * and any other document, which can only be normalised.
 *
 * The document type decides which form a number must have; without a type
 * the form alone decides.  Every fault is a finding of its own, so that a
 * roster report can say "wrong check character, expected X" rather than
 * "invalid".  Called for every row of multi-million-row files: no
 * allocation, no locale, no sscanf.
 */
#include "fields/fields.h"

#include <string.h>

/* ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11; the check
 * character makes the weighted sum of all 18 equal 1 mod 11 ('X' = 10). */
static const unsigned char check_weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                3, 7, 9,  10, 5, 8, 4, 2};
static const char check_chars[12] = "10X98765432"; /* by weighted sum mod 11 */

XJL_API char xjl_id_check_char(const char *first17)
{
    if (!first17)
        return 0;
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned char)first17[i] - '0';
        if (d > 9)
            return 0; /* also stops at a NUL before reading past it */
        sum += d * check_weights[i];
    }
    return check_chars[sum % 11];
}

static bool is_digit(char c)
{
    return (unsigned)((unsigned char)c - '0') <= 9;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool digits_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

static int32_t digits_value(const char *s, size_t n)
{
    int32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Upper-cases and drops the spaces and hyphens people put inside numbers
 * (3604 2619 9101 0100 71, 360426-19910101-0071), and the apostrophe (or a
 * pair of quotes) Excel users type before a long number to keep it text
 * ('360426199101010071).  Returns the length. */
static size_t normalize(const char *text, size_t len, char *dst)
{
    size_t n = 0, from = 0, to = len;
    if (to > from && (text[from] == '\'' || text[from] == '`'))
        from++;
    if (to - from >= 2 && text[from] == '"' && text[to - 1] == '"') {
        from++;
        to--;
    }
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '-')
            continue;
        dst[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    dst[n] = '\0';
    return n;
}

/* The value of the two digits at p (checked by the caller). */
static int two_digits(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The birth date YYYYMMDD at p (its digits are checked by the caller). */
static void read_birth_date(xjl_id_info *out, const char *p)
{
    int y = two_digits(p) * 100 + two_digits(p + 2), m = two_digits(p + 4), d = two_digits(p + 6);
    if (xjl__date_read(y, m, d, &out->birth_date) != XJL_F_NONE)
        out->findings |= XJL_FINDING_BIT(XJL_F_ID_DATE);
}

/* The sequence number's last digit: odd for men, even for women. */
static xjl_gender gender_of(char c)
{
    return ((c - '0') & 1) ? XJL_GENDER_MALE : XJL_GENDER_FEMALE;
}

/* An 18-character number of the citizen scheme: 6-digit region, YYYYMMDD
 * (with_person), 3-digit sequence, check character.  The new permanent
 * residence card shares the check but its first digits are not a region. */
static void read_scheme18(xjl_id_info *out, bool with_person)
{
    const char *n = out->normalized;
    /* One pass over the first 17 characters for the weighted sum and the
     * positions that are not digits (bit i for n[i]); the checks below ask
     * that mask rather than scanning the number again. */
    unsigned sum = 0;
    uint32_t not_digit = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned char)n[i] - '0';
        if (d > 9)
            not_digit |= UINT32_C(1) << i;
        else
            sum += d * check_weights[i];
    }
    bool body = not_digit == 0;
    if (!body || !(is_digit(n[17]) || n[17] == 'X'))
        out->findings |= XJL_FINDING_BIT(XJL_F_ID_CHARS);
    if (body) {
        char c = check_chars[sum % 11]; /* as xjl_id_check_char(n) */
        if (c != n[17]) {
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_CHECK);
            out->expected_check = c;
        }
    }
    if (!with_person)
        return;
    if ((not_digit & 0x3Fu) == 0) /* region, n[0..6) */
        out->region = digits_value(n, 6);
    if ((not_digit & (0xFFu << 6)) == 0) /* birth date, n[6..14) */
        read_birth_date(out, n + 6);
    if (is_digit(n[16]))
        out->gender = gender_of(n[16]);
}

/* An old 15-digit number: region, YYMMDD of a 19xx birth, 3-digit sequence,
 * no check.  Converted to 18 by inserting the century and appending the check. */
static void read_citizen15(xjl_id_info *out)
{
    char *n = out->normalized;
    char conv[19];
    memcpy(conv, n, 6);
    conv[6] = '1';
    conv[7] = '9';
    memcpy(conv + 8, n + 6, 9);
    conv[17] = xjl_id_check_char(conv);
    conv[18] = '\0';
    out->region = digits_value(n, 6);
    out->gender = gender_of(n[14]);
    read_birth_date(out, conv + 6);
    if (out->birth_date != XJL_DATE_NONE) {
        memcpy(n, conv, sizeof conv);
        out->findings |= XJL_FINDING_BIT(XJL_F_ID_CONVERTED15);
    }
}

/* 17 ASCII digits and a digit, X or x: the clean citizen number of nearly
 * every row (a normalised one has no x). */
static bool citizen18_chars(const char *n)
{
    char last = n[17];
    return xjl__digits8(n) && xjl__digits8(n + 8) && is_digit(n[16]) &&
           (is_digit(last) || last == 'X' || last == 'x');
}

/*
 * Fast path for that clean number, of a citizen region (not 8 or 9 first),
 * under a type that reads it as a citizen number without a mismatch: what
 * read_typed() does then (read_as(XJL_IDKIND_CITIZEN): read_scheme18() with
 * every body character a digit, then the region check), without the loops
 * that find out which characters are digits.
 */
static bool citizen18_fast(xjl_id_info *out, xjl_id_type type)
{
    const char *n = out->normalized;
    if (n[0] == '8' || n[0] == '9' ||
        !(type == XJL_IDTYPE_NONE || type == XJL_IDTYPE_RESIDENT || type == XJL_IDTYPE_HOUSEHOLD ||
          type == XJL_IDTYPE_HMT_RESIDENCE))
        return false;
    out->kind = XJL_IDKIND_CITIZEN;
    /* check_weights written out: the loop over them cost more than the sum */
#define D(i) (unsigned)(n[i] - '0')
    unsigned sum = D(0) * 7 + D(1) * 9 + D(2) * 10 + D(3) * 5 + D(4) * 8 + D(5) * 4 + D(6) * 2 +
                   D(7) * 1 + D(8) * 6 + D(9) * 3 + D(10) * 7 + D(11) * 9 + D(12) * 10 + D(13) * 5 +
                   D(14) * 8 + D(15) * 4 + D(16) * 2;
#undef D
    char c = check_chars[sum % 11];
    if (c != n[17]) {
        out->findings |= XJL_FINDING_BIT(XJL_F_ID_CHECK);
        out->expected_check = c;
    }
    out->region = (two_digits(n) * 100 + two_digits(n + 2)) * 100 + two_digits(n + 4);
    read_birth_date(out, n + 6);
    out->gender = gender_of(n[16]);
    if (!xjl__region_known(out->region))
        out->findings |= XJL_FINDING_BIT(XJL_F_ID_REGION);
    return true;
}

/* Other documents (passports, 回乡证, Taiwan permits, Hong Kong identity
 * cards written A123456(7)) are letters and digits; the brackets of a Hong
 * Kong check digit are dropped so that both spellings compare equal. */
static void read_other(xjl_id_info *out)
{
    char *n = out->normalized;
    size_t w = 0;
    for (size_t r = 0; n[r]; r++) {
        char c = n[r];
        if (c == '(' || c == ')')
            continue;
        if (!is_digit(c) && !is_upper(c))
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_CHARS);
        n[w++] = c;
    }
    n[w] = '\0';
}

/* Checks the number as one of the given kind. */
static void read_as(xjl_id_info *out, size_t len, xjl_id_kind kind)
{
    const char *n = out->normalized;
    out->kind = kind;
    switch (kind) {
    case XJL_IDKIND_CITIZEN:
        if (len == 18)
            read_scheme18(out, true);
        else if (len == 15 && digits_only(n, 15))
            read_citizen15(out);
        else
            out->findings |= XJL_FINDING_BIT(len == 15 ? XJL_F_ID_CHARS : XJL_F_ID_LENGTH);
        /* Codes created after 2019 are missing from the table: a warning only. */
        /* The readers above have set out->region whenever it could be read
         * (0 otherwise, which is also the value of 000000): not read twice. */
        if ((len == 18 || len == 15) && digits_only(n, 6) &&
            !xjl__region_known(out->region != 0 ? out->region : digits_value(n, 6)))
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_REGION);
        break;
    case XJL_IDKIND_HMT:
    case XJL_IDKIND_PR_NEW:
        if (len == 18)
            read_scheme18(out, kind == XJL_IDKIND_HMT);
        else
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_LENGTH);
        break;
    case XJL_IDKIND_PR_OLD: /* three letters (nationality) and 12 digits; no check */
        if (len != 15)
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_LENGTH);
        else if (!is_upper(n[0]) || !is_upper(n[1]) || !is_upper(n[2]) || !digits_only(n + 3, 12))
            out->findings |= XJL_FINDING_BIT(XJL_F_ID_CHARS);
        break;
    default:
        read_other(out);
        break;
    }
}

/* Which document of the citizen scheme an 18-character number is: Hong Kong,
 * Macao and Taiwan residents have the region 810000, 820000, 830000; the new
 * permanent residence cards begin with 9, a digit no province code has. */
static xjl_id_kind scheme18_kind(const char *n)
{
    if (n[0] == '8' && (n[1] >= '1' && n[1] <= '3') && memcmp(n + 2, "0000", 4) == 0)
        return XJL_IDKIND_HMT;
    return n[0] == '9' ? XJL_IDKIND_PR_NEW : XJL_IDKIND_CITIZEN;
}

static bool scheme18_form(const char *n, size_t len)
{
    return len == 18 && is_digit(n[0]);
}

static bool pr_old_form(const char *n, size_t len)
{
    return len == 15 && is_upper(n[0]) && is_upper(n[1]) && is_upper(n[2]) &&
           digits_only(n + 3, 12);
}

/* A run of 14..20 digits (perhaps ending in X) is a citizen number with a
 * digit lost or doubled, not some other document. */
static bool near_citizen_form(const char *n, size_t len)
{
    return len >= 14 && len <= 20 && digits_only(n, len - 1) &&
           (is_digit(n[len - 1]) || n[len - 1] == 'X');
}

static uint32_t error_bits(uint32_t findings)
{
    return findings & XJL_ERROR_FINDINGS;
}

static void mismatch(xjl_id_info *out)
{
    out->findings |= XJL_FINDING_BIT(XJL_F_ID_TYPE_MISMATCH);
}

static void read_typed(xjl_id_info *out, size_t len, xjl_id_type type)
{
    const char *n = out->normalized;
    switch (type) {
    case XJL_IDTYPE_NONE:
        if (scheme18_form(n, len))
            read_as(out, len, scheme18_kind(n));
        else if ((len == 15 && digits_only(n, 15)) || near_citizen_form(n, len))
            read_as(out, len, XJL_IDKIND_CITIZEN);
        else
            read_as(out, len, pr_old_form(n, len) ? XJL_IDKIND_PR_OLD : XJL_IDKIND_OTHER);
        break;
    case XJL_IDTYPE_RESIDENT:
    case XJL_IDTYPE_HOUSEHOLD:
        /* A 户口簿 of a citizen child carries the same number as the ID card. */
        read_as(out, len, scheme18_form(n, len) ? scheme18_kind(n) : XJL_IDKIND_CITIZEN);
        if (out->kind != XJL_IDKIND_CITIZEN)
            mismatch(out);
        break;
    case XJL_IDTYPE_HMT_RESIDENCE:
        /* The permit's number, or a citizen number (accepted: same scheme). */
        if (scheme18_form(n, len))
            read_as(out, len, scheme18_kind(n));
        else
            read_as(out, len, len == 15 ? XJL_IDKIND_CITIZEN : XJL_IDKIND_HMT);
        if (out->kind == XJL_IDKIND_PR_NEW)
            mismatch(out);
        break;
    case XJL_IDTYPE_FOREIGN_PR:
        if (scheme18_form(n, len))
            read_as(out, len, scheme18_kind(n));
        else if (len != 18 && (len == 15 || is_upper(n[0])))
            read_as(out, len, XJL_IDKIND_PR_OLD);
        else
            read_as(out, len, XJL_IDKIND_PR_NEW);
        if (out->kind != XJL_IDKIND_PR_NEW && out->kind != XJL_IDKIND_PR_OLD)
            mismatch(out);
        break;
    default: {
        /* Documents with no scheme of their own: a number that is a valid
         * citizen-scheme number is recognised as one (and the type flagged);
         * anything else is only normalised. */
        if (scheme18_form(n, len)) {
            xjl_id_info tried = *out;
            read_as(&tried, len, scheme18_kind(n));
            if (error_bits(tried.findings) == 0) {
                *out = tried;
                mismatch(out);
                break;
            }
        }
        read_as(out, len, XJL_IDKIND_OTHER);
        break;
    }
    }
}

/* 〇 零 一 二 三 四 五 六 七 八 九: the digits a number is spelt with in words. */
static bool chinese_numeral(int32_t cp)
{
    static const int32_t numerals[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                       0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (size_t i = 0; i < XJL_ARRAY_LEN(numerals); i++)
        if (cp == numerals[i])
            return true;
    return false;
}

/* Whether a normalised value (upper-case, spaces and hyphens dropped) may
 * be a document's number: every number of every document type has a digit
 * other than 0.  A value with none, no Latin letter and no Chinese numeral
 * is a word or a mark typed where the number goes (无, 暂无, 未办理, /, ——)
 * or zeros (0, 000000000000000000); so are the few words of database
 * exports (NULL, NONE, NIL, N/A, read by their letters).  Read as "no number", such a value neither
 * finds every pupil typed with the same word nor counts as one ID number
 * twice in the duplicate check.  Anything else with a letter or a numeral
 * (三六〇四二六, AB#) is a number typed wrong, and is checked as one. */
static bool names_a_number(const char *n, size_t len)
{
    /* the words by their letters alone (N/A, N.A.), so that the rule reads
     * a number's normalised form as it read the number (read_other() drops
     * parentheses: ")NA" and "NA" are one word) */
    static const char *const words[] = {"NULL", "NONE", "NIL", "NA"};
    char letters[5];
    size_t nletters = 0;
    for (size_t pos = 0; pos < len;) {
        int32_t cp = xjl__utf8_next(n, len, &pos);
        if ((cp >= '1' && cp <= '9') || cp < 0)
            return true;
        if (cp >= 'A' && cp <= 'Z') {
            if (nletters < sizeof letters - 1)
                letters[nletters] = (char)cp;
            nletters++;
        } else if (chinese_numeral(cp)) {
            return true;
        }
    }
    if (nletters == 0)
        return false;
    if (nletters >= sizeof letters)
        return true; /* longer than any of the words */
    letters[nletters] = '\0';
    for (size_t i = 0; i < XJL_ARRAY_LEN(words); i++)
        if (strcmp(letters, words[i]) == 0)
            return false;
    return true;
}

static bool type_known(xjl_id_type type)
{
    return type == XJL_IDTYPE_NONE || (type >= '1' && type <= '9') || type == XJL_IDTYPE_PASSPORT ||
           type == XJL_IDTYPE_HOUSEHOLD || type == XJL_IDTYPE_HMT_RESIDENCE ||
           type == XJL_IDTYPE_OTHER;
}

XJL_API int xjl_id_parse(const char *s, size_t len, xjl_id_type type, xjl_id_info *out)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_id_parse: out is NULL");
    out->normalized[0] = '\0';
    out->kind = XJL_IDKIND_EMPTY;
    out->findings = 0;
    out->birth_date = XJL_DATE_NONE;
    out->gender = XJL_GENDER_UNKNOWN;
    out->region = 0;
    out->expected_check = 0;
    if (!type_known(type))
        return xjl__fail(XJL_EINVAL, "field id_number: %d is not an ID document type", (int)type);

    struct xjl_field_text t;
    const char *text;
    size_t n = 0, text_len;
    bool fast = !xjl__fast_paths_off, clean18 = false;
    int f = XJL_F_NONE;
    bool bare18 = fast && s && (len == XJL_NTS ? strlen(s) : len) == 18 && citizen18_chars(s);
    if (bare18) {
        /* Fast path: the number alone, as nearly every row has it.  It is
         * ASCII: nothing for xjl__field_text to do. */
        text = s;
        text_len = 18;
    } else {
        f = xjl__field_view(s, len, XJL_ID_MAX - 1, &t, &text, &text_len);
    }
    if (bare18 || (f == XJL_F_NONE && fast && text_len == 18 && citizen18_chars(text))) {
        /* Fast path: nothing for normalize() to drop (the first character is
         * a digit: no quote), only a lower-case x to raise. */
        memcpy(out->normalized, text, 18);
        if (out->normalized[17] == 'x')
            out->normalized[17] = 'X';
        out->normalized[18] = '\0';
        n = 18;
        clean18 = true;
    } else if (f == XJL_F_NONE) {
        n = normalize(text, text_len, out->normalized);
        clean18 = fast && n == 18 && citizen18_chars(out->normalized);
    }
    if (f == XJL_F_EMPTY || (f == XJL_F_NONE && !names_a_number(out->normalized, n))) {
        /* Nothing, "-", or a word in the number's place: rosters mark a
         * pupil without a number so. */
        out->normalized[0] = '\0';
        out->findings = XJL_FINDING_BIT(XJL_F_ID_MISSING);
        return XJL_OK;
    }
    if (f != XJL_F_NONE) {
        out->kind = XJL_IDKIND_OTHER;
        out->findings = XJL_FINDING_BIT(f);
        return xjl__field_fail("id_number", &t, f);
    }

    if (!clean18 || !citizen18_fast(out, type))
        read_typed(out, n, type);

    uint32_t errors = error_bits(out->findings);
    if (errors == 0)
        return XJL_OK;
    int first = 0;
    while (!(errors & XJL_FINDING_BIT(first)))
        first++;
    if (first == XJL_F_ID_CHECK)
        return xjl__fail(XJL_EINVAL, "field id_number: value '%s': %s, expected '%c'",
                         out->normalized, xjl_finding_message(first, 0), out->expected_check);
    return xjl__fail(XJL_EINVAL, "field id_number: value '%s': %s", out->normalized,
                     xjl_finding_message(first, 0));
}
