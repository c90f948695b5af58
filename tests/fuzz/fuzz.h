/*
 * What the fuzz targets share.  Each target is one file defining
 * LLVMFuzzerTestOneInput(); it is linked with libFuzzer (-Dfuzz=enabled,
 * clang) to search for inputs, and with replay.c (every build) to run its
 * seed corpus and every input that ever failed as an ordinary test.
 *
 * A property that does not hold aborts (FUZZ_CHECK): libFuzzer keeps the
 * input as a crash, the replay test fails naming the file.
 */
#ifndef XJL_FUZZ_H
#define XJL_FUZZ_H

#include "xjlink.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond);            \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input as a file the library can open by name: an anonymous file in
 * memory (a regular file, no disk), named through /proc.  *fd is closed by
 * fuzz_file_close(). */
static inline const char *fuzz_file(const uint8_t *data, size_t size, int *fd, char path[64])
{
    *fd = memfd_create("xjl-fuzz", MFD_CLOEXEC);
    if (*fd < 0) {
        perror("memfd_create");
        abort();
    }
    for (size_t off = 0; off < size;) {
        ssize_t n = write(*fd, data + off, size - off);
        if (n <= 0) {
            perror("write");
            abort();
        }
        off += (size_t)n;
    }
    snprintf(path, 64, "/proc/self/fd/%d", *fd);
    return path;
}

static inline void fuzz_file_close(int fd)
{
    close(fd);
}

/* Cuts the input into n NUL-terminated strings at '\n' (the rest empty);
 * the copy is one allocation, freed by the caller. */
static inline char *fuzz_split(const uint8_t *data, size_t size, const char **out, size_t n)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *p = copy;
    for (size_t i = 0; i < n; i++) {
        out[i] = p;
        char *nl = p ? strchr(p, '\n') : NULL;
        if (nl) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p = copy + size; /* the rest are "" */
        }
    }
    return copy;
}

#endif /* XJL_FUZZ_H */
