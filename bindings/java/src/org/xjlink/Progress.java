package org.xjlink;

/**
 * Told how far a long call has come, as Python's {@code progress=} is (and a
 * tqdm bar's {@code update(n)}): {@code rows} is the number of rows done
 * since the previous call, so the calls add up to the rows of the call.
 *
 * <p>Threads: it may be called on a thread of the library's own (the one
 * that writes the results), never on two threads at once, and the call that
 * took it returns only after its last report.  Keep it short (set a volatile
 * or an atomic, post to a queue): the run's writing waits for it.  Closing
 * or rebuilding the index the call runs on from it throws XJL_ESTATE (the
 * call holds the index until it returns); it must not wait for another
 * thread that does either, which would never end.
 *
 * <p>An exception it throws does not stop the run (the library cannot stop
 * half-way through a file): later reports are skipped, and the exception is
 * thrown by the call that took the listener when it returns, unless that
 * call failed on its own (then its {@link XjlinkException}).
 */
@FunctionalInterface
public interface Progress {
    void update(long rows);
}
