#ifndef CSAMPLER_H
#define CSAMPLER_H

#include <stddef.h>

/// The SIGPROF sampler behind the engine's own CPU profile. Written in C because a signal
/// handler must not allocate, lock or touch reference counts, which Swift code cannot
/// promise. The handler only copies a backtrace() into a preallocated ring; everything
/// else (symbols, pprof) happens after the capture, in Swift.

/// Frames kept per sample.
#define CSAMPLER_MAX_DEPTH 64

/// Starts sampling every thread that burns CPU at `hz` samples per CPU-second, into room
/// for `capacity` samples. Returns 0, or -1 when a capture is already running, -2 when
/// memory or the timer could not be had.
int csampler_start(int hz, size_t capacity);

/// Stops sampling (the handler stays installed, ignoring late signals, so a SIGPROF in
/// flight can never kill the process). Returns the samples taken (at most the capacity).
size_t csampler_stop(void);

/// Samples that did not fit in the ring.
size_t csampler_dropped(void);

/// The frames of sample `index` (valid until the next start); `depth` receives their count.
void *const *csampler_sample(size_t index, int *depth);

/// dladdr() for an address (after a capture, never in the handler): the symbol's name and
/// start, the image's path and base. Returns 0 when the address is in no image.
int csampler_symbol(const void *address, const char **name, void **start, const char **image, void **base);

#endif
