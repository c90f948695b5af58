/*
 * Citizen numbers for tests, made with the standard's own formula
 * (GB 11643: ISO 7064 MOD 11-2 with weights 2^(17-i) mod 11), written
 * independently of the library's check so that the tests check it.
 */
#ifndef XJL_TEST_CITIZEN_IDS_H
#define XJL_TEST_CITIZEN_IDS_H

#include <stdio.h>

/* region (6 digits) + ymd (8 digits) + seq (3 digits) + check. */
static void make_id(char out[19], const char *region, const char *ymd, int seq)
{
    snprintf(out, 19, "%.6s%.8s%03d", region, ymd, seq % 1000); /* 17 characters at most */
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int w = 1;
        for (int k = 0; k < 17 - i; k++)
            w = (w * 2) % 11;
        s += (out[i] - '0') * w;
    }
    out[17] = "10X98765432"[s % 11];
    out[18] = '\0';
}

#endif
