/*
 * fuzz_index_open: libFuzzer target for xjl_index_open() and
 * xjl_index_verify().  A random file almost never gets past the magic and
 * the header's checksum, so the input is read as edits of a sound index
 * file made at start-up (50 records): the first byte chooses the mode, the
 * rest are (offset, value) pairs written over the file, which is then
 * truncated or extended as the mode says, and its header checksum is made
 * right again unless the mode says not to, so that every check behind it is
 * reached.  Mode bit 0x10 edits a second sound file, whose record ids
 * ascend (it has no record-id table: ids are found by a binary search).
 * Mode 0xFF takes the input itself as the file.  It is opened without
 * checks, with XJL_INDEX_BOUNDS and with XJL_INDEX_VERIFY, and what opens is
 * used: a record read, an id found, a query matched, a record added.
 *
 * Build with clang, the library compiled with -fsanitize=fuzzer-no-link
 * (and address,undefined), this file linked with -fsanitize=fuzzer.
 */
#include "xjlink.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

static unsigned char *sounds[2]; /* record ids "R0".."R49" (not in order), "R00".."R49" */
static size_t sound_lens[2];
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
static void make_sound(int k);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int fd = memfd_create("xjx", 0);
    if (fd < 0)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    for (int k = 0; k < 2; k++)
        make_sound(k);
    return 0;
}

static void make_sound(int k)
{
    xjl_index *ix = NULL;
    if (xjl_index_new(&ix) != XJL_OK)
        abort();
    static const char *const names[] = {"王小明", "李娜", "張偉", "WANG DAVID", "阿依古丽·买买提"};
    for (int i = 0; i < 50; i++) {
        char date[16], rid[16];
        snprintf(date, sizeof date, "2018-%02d-%02d", 1 + i % 12, 1 + i % 28);
        snprintf(rid, sizeof rid, k ? "R%02d" : "R%d", i);
        xjl_record r = {names[i % 5], i % 2 ? "1" : "2", date, i % 7 ? "1" : "A",
                        i % 7 ? "11010520180101001X" : "E1234567"};
        xjl_index_add(ix, rid, &r);
    }
    char saved[64];
    snprintf(saved, sizeof saved, "/tmp/fuzz_index_open_%d.xjx", (int)getpid());
    if (xjl_index_build(ix, 1) || xjl_index_find_id(ix, k ? "R01" : "R1") != 1 ||
        xjl_index_save(ix, saved))
        abort();
    xjl_index_free(ix);
    FILE *f = fopen(saved, "rb");
    fseek(f, 0, SEEK_END);
    sound_lens[k] = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    sounds[k] = malloc(sound_lens[k]);
    if (fread(sounds[k], 1, sound_lens[k], f) != sound_lens[k])
        abort();
    fclose(f);
    unlink(saved);
}

/* The header's checksum made right for the bytes as they are now. */
static void reseal(unsigned char *b, size_t len)
{
    uint32_t hb;
    if (len < 96)
        return;
    memcpy(&hb, b + 16, 4);
    if (hb < 96 || hb > len || hb > 96 + 22 * 32)
        return;
    memset(b + 88, 0, 8);
    uint64_t h = XXH3_64bits(b, hb);
    memcpy(b + 88, &h, 8);
}

static void use(xjl_index *ix)
{
    xjl_index_find_id(ix, "R1");
    xjl_index_find_id(ix, "R01");
    xjl_matcher *m = NULL;
    xjl_matcher_new(&m, ix);
    xjl_record q = {"王小明", "2", "2018-01-01", "1", "11010520180101001X"};
    xjl_result *r;
    if (m && xjl_matcher_match(m, &q, &r) == XJL_OK)
        xjl_result_free(r);
    /* the first records as queries: their own names, dates and numbers read back */
    for (size_t i = 0; m && i < 3 && i < xjl_index_count(ix); i++) {
        xjl_parsed p;
        if (xjl_index_record(ix, i, &p) != XJL_OK)
            continue;
        char date[16];
        xjl_record self = {p.name, "1", date, "", p.id.normalized};
        if (xjl_date_format(p.birth_date, date, sizeof date) != XJL_OK)
            self.birth_date = "";
        if (xjl_matcher_match(m, &self, &r) == XJL_OK)
            xjl_result_free(r);
    }
    xjl_matcher_free(m);
    /* a change: the name and record-id tables read, a removal counted */
    xjl_index_add(ix, "FZ1", &q);
    xjl_index_remove(ix, "R2");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned mode = data[0];
    const unsigned char *file;
    size_t len;
    unsigned char *buf = NULL;
    if (mode == 0xFF) {
        file = data + 1;
        len = size - 1;
    } else {
        const unsigned char *sound = sounds[(mode & 0x10) != 0];
        size_t sound_len = sound_lens[(mode & 0x10) != 0];
        len = sound_len;
        if (mode & 0x40) /* cut or extend by the last two bytes' value */
            len = size >= 3 ? (sound_len + (size_t)(data[size - 1] | data[size - 2] << 8)) %
                                  (sound_len * 2)
                            : sound_len / 2;
        buf = calloc(len ? len : 1, 1);
        memcpy(buf, sound, len < sound_len ? len : sound_len);
        /* (offset: 2 bytes, value: 1 byte) edits; offsets mostly in the header */
        for (size_t i = 1; i + 3 <= size; i += 3) {
            size_t off = (size_t)(data[i] | data[i + 1] << 8);
            if (!(mode & 0x20))
                off %= 96 + 17 * 32;
            if (off < len)
                buf[off] = data[i + 2];
        }
        if (!(mode & 0x80))
            reseal(buf, len);
        file = buf;
    }
    FILE *f = fopen(path, "wb"); /* truncates the memfd */
    if (!f || (len && fwrite(file, 1, len, f) != len) || fclose(f) != 0)
        abort();
    free(buf);
    /* whatever opens is used: unchecked (the header and the sections'
     * bounds only), with the bounds of what the matcher reads, verified */
    static const unsigned flags[] = {0, XJL_INDEX_BOUNDS, XJL_INDEX_VERIFY};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        xjl_index *ix = NULL;
        if (xjl_index_open(&ix, path, flags[k]) == XJL_OK) {
            xjl_index_info_t in;
            xjl_index_info(ix, &in);
            use(ix);
            xjl_index_free(ix);
        }
    }
    return 0;
}
