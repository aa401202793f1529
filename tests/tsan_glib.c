/* Built into the ThreadSanitizer tree only (-Db_sanitize=thread, see
 * tests/run --tsan): makes GLib's GMutex and GCond visible to TSan.
 *
 * GLib implements GMutex and GCond on raw futexes, which TSan does not
 * model, so every piece of data guarded by a GMutex (the decoder's pass
 * state, GStreamer's object locks) looks unguarded and is reported as a
 * race. This file interposes the GLib calls (the program's definitions come
 * first in the dynamic lookup, for its own calls and GStreamer's), forwards
 * each to GLib's own, and tells TSan what it did: a lock is an acquire of
 * the mutex's address, an unlock a release. No report is hidden: TSan now
 * checks that guarded data really is touched under its lock. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <glib.h>
#include <sanitizer/tsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*mutex_fn)(GMutex *);
typedef gboolean (*trylock_fn)(GMutex *);
typedef void (*cond_wait_fn)(GCond *, GMutex *);
typedef gboolean (*cond_wait_until_fn)(GCond *, GMutex *, gint64);

/* GLib's own definition of `name`, looked up once per slot. The slots are
 * read and written with atomics: several threads may look up at once. */
static void *real(void **slot, const char *name)
{
    void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (f)
        return f;
    f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "tsan_glib: %s not found in GLib\n", name);
        abort();
    }
    __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    return f;
}

void g_mutex_lock(GMutex *m)
{
    static void *slot;
    void *p = real(&slot, "g_mutex_lock");
    mutex_fn f;
    memcpy(&f, &p, sizeof f); /* POSIX: dlsym's object pointer is the function */
    f(m);
    __tsan_acquire(m);
}

gboolean g_mutex_trylock(GMutex *m)
{
    static void *slot;
    void *p = real(&slot, "g_mutex_trylock");
    trylock_fn f;
    memcpy(&f, &p, sizeof f); /* POSIX: dlsym's object pointer is the function */
    gboolean ok = f(m);
    if (ok)
        __tsan_acquire(m);
    return ok;
}

void g_mutex_unlock(GMutex *m)
{
    static void *slot;
    void *p = real(&slot, "g_mutex_unlock");
    mutex_fn f;
    memcpy(&f, &p, sizeof f); /* POSIX: dlsym's object pointer is the function */
    __tsan_release(m);
    f(m);
}

void g_cond_wait(GCond *c, GMutex *m)
{
    static void *slot;
    void *p = real(&slot, "g_cond_wait");
    cond_wait_fn f;
    memcpy(&f, &p, sizeof f); /* POSIX: dlsym's object pointer is the function */
    __tsan_release(m);
    f(c, m);
    __tsan_acquire(m);
}

gboolean g_cond_wait_until(GCond *c, GMutex *m, gint64 end_time)
{
    static void *slot;
    void *p = real(&slot, "g_cond_wait_until");
    cond_wait_until_fn f;
    memcpy(&f, &p, sizeof f); /* POSIX: dlsym's object pointer is the function */
    __tsan_release(m);
    gboolean r = f(c, m, end_time);
    __tsan_acquire(m);
    return r;
}
