#include "audio/ringbuf.h"

#include <stdlib.h>
#include <string.h>

int sh_ringbuf_init(sh_ringbuf *rb, size_t min_capacity)
{
    size_t cap = 64;
    while (cap < min_capacity)
        cap <<= 1;
    rb->data = calloc(cap, sizeof(float));
    if (!rb->data)
        return -1;
    rb->mask = cap - 1;
    atomic_init(&rb->write_pos, 0);
    atomic_init(&rb->read_pos, 0);
    return 0;
}

void sh_ringbuf_free(sh_ringbuf *rb)
{
    free(rb->data);
    rb->data = NULL;
}

size_t sh_ringbuf_capacity(const sh_ringbuf *rb)
{
    return rb->mask + 1;
}

size_t sh_ringbuf_readable(sh_ringbuf *rb)
{
    size_t w = atomic_load_explicit(&rb->write_pos, memory_order_acquire);
    size_t r = atomic_load_explicit(&rb->read_pos, memory_order_relaxed);
    return w - r;
}

size_t sh_ringbuf_writable(sh_ringbuf *rb)
{
    size_t r = atomic_load_explicit(&rb->read_pos, memory_order_acquire);
    size_t w = atomic_load_explicit(&rb->write_pos, memory_order_relaxed);
    return rb->mask + 1 - (w - r);
}

size_t sh_ringbuf_write(sh_ringbuf *rb, const float *src, size_t n)
{
    size_t w = atomic_load_explicit(&rb->write_pos, memory_order_relaxed);
    size_t r = atomic_load_explicit(&rb->read_pos, memory_order_acquire);
    size_t space = rb->mask + 1 - (w - r);
    if (n > space)
        n = space;
    size_t at = w & rb->mask;
    size_t first = rb->mask + 1 - at;
    if (first > n)
        first = n;
    memcpy(rb->data + at, src, first * sizeof(float));
    memcpy(rb->data, src + first, (n - first) * sizeof(float));
    atomic_store_explicit(&rb->write_pos, w + n, memory_order_release);
    return n;
}

size_t sh_ringbuf_read(sh_ringbuf *rb, float *dst, size_t n)
{
    size_t r = atomic_load_explicit(&rb->read_pos, memory_order_relaxed);
    size_t w = atomic_load_explicit(&rb->write_pos, memory_order_acquire);
    size_t avail = w - r;
    if (n > avail)
        n = avail;
    size_t at = r & rb->mask;
    size_t first = rb->mask + 1 - at;
    if (first > n)
        first = n;
    memcpy(dst, rb->data + at, first * sizeof(float));
    memcpy(dst + first, rb->data, (n - first) * sizeof(float));
    atomic_store_explicit(&rb->read_pos, r + n, memory_order_release);
    return n;
}
