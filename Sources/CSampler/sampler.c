#define _GNU_SOURCE
#include "CSampler.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static void **frames;
static int *depths;
static size_t capacity;
static atomic_size_t next_slot;
static atomic_size_t dropped;
static atomic_int active;
static atomic_int running;
static int installed;

static void on_sigprof(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)info;
    (void)context;
    int saved = errno;
    if (atomic_load_explicit(&active, memory_order_acquire)) {
        size_t slot = atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed);
        if (slot < capacity) {
            depths[slot] = backtrace(frames + slot * CSAMPLER_MAX_DEPTH, CSAMPLER_MAX_DEPTH);
        } else {
            atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
        }
    }
    errno = saved;
}

int csampler_start(int hz, size_t room) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&running, &expected, 1)) return -1;
    if (hz < 1) hz = 1;
    if (hz > 1000) hz = 1000;
    // backtrace() loads libgcc's unwinder lazily (malloc, dlopen): do that here, not in the handler.
    void *warm[4];
    backtrace(warm, 4);
    free(frames);
    free(depths);
    frames = calloc(room * CSAMPLER_MAX_DEPTH, sizeof(void *));
    depths = calloc(room, sizeof(int));
    if (frames == NULL || depths == NULL) {
        atomic_store(&running, 0);
        return -2;
    }
    capacity = room;
    atomic_store(&next_slot, 0);
    atomic_store(&dropped, 0);
    if (!installed) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_sigprof;
        action.sa_flags = SA_RESTART | SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        if (sigaction(SIGPROF, &action, NULL) != 0) {
            atomic_store(&running, 0);
            return -2;
        }
        installed = 1;
    }
    atomic_store_explicit(&active, 1, memory_order_release);
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_interval.tv_usec = 1000000 / hz;
    timer.it_value = timer.it_interval;
    if (setitimer(ITIMER_PROF, &timer, NULL) != 0) {
        atomic_store(&active, 0);
        atomic_store(&running, 0);
        return -2;
    }
    return 0;
}

size_t csampler_stop(void) {
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_PROF, &off, NULL);
    atomic_store_explicit(&active, 0, memory_order_release);
    size_t taken = atomic_load(&next_slot);
    atomic_store(&running, 0);
    return taken < capacity ? taken : capacity;
}

size_t csampler_dropped(void) { return atomic_load(&dropped); }

void *const *csampler_sample(size_t index, int *depth) {
    if (index >= capacity || depths == NULL) {
        *depth = 0;
        return NULL;
    }
    *depth = depths[index];
    return frames + index * CSAMPLER_MAX_DEPTH;
}

int csampler_symbol(const void *address, const char **name, void **start, const char **image, void **base) {
    Dl_info info;
    if (dladdr(address, &info) == 0) return 0;
    *name = info.dli_sname;
    *start = info.dli_saddr;
    *image = info.dli_fname;
    *base = info.dli_fbase;
    return 1;
}
