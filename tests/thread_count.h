/*
 * Counts the threads a test program starts: built with
 * -Wl,--wrap=pthread_create (tests/meson.build), every pthread_create of the
 * program and of the static library it links goes through the wrapper.
 * Include in one file of the program.
 */
#ifndef XJL_TEST_THREAD_COUNT_H
#define XJL_TEST_THREAD_COUNT_H

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

static atomic_size_t threads_started;

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    atomic_fetch_add(&threads_started, 1);
    return __real_pthread_create(t, a, fn, arg);
}

/* Threads of the process now, as the kernel lists them. */
static inline size_t threads_alive(void)
{
    DIR *d = opendir("/proc/self/task");
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

#endif
