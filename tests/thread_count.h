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
#include <time.h>

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

/* Threads of the process once those the library joined are gone, at most
 * `expected` if nothing is left running.  pthread_join() returns when the
 * kernel clears the thread's id, which it does before it takes the thread
 * off /proc/self/task: a thread joined a moment ago can still be listed
 * (seen once in CI under load).  So the count is read again until it is at
 * most `expected`, for two seconds at most: a thread still running after
 * that is one the library left behind. */
static inline size_t threads_alive_after_join(size_t expected)
{
    size_t n = threads_alive();
    for (int tries = 0; n > expected && tries < 2000; tries++) {
        nanosleep(&(struct timespec){0, 1000000}, NULL);
        n = threads_alive();
    }
    return n;
}

#endif
