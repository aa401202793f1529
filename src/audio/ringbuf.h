/* Lock-free single-producer single-consumer ring of floats (internal).
 *
 * The producer is the audio callback, the consumer the recorder's writer
 * thread. Capacity is a power of two; the indices run freely and are masked,
 * so full and empty are told apart without a spare slot. Acquire/release
 * ordering on the indices publishes the samples (the usual JACK/PortAudio
 * PaUtilRingBuffer design, with C11 atomics). Neither side ever blocks.
 */
#ifndef SH_AUDIO_RINGBUF_H
#define SH_AUDIO_RINGBUF_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct sh_ringbuf {
    float *data;
    size_t mask;              /* capacity - 1 */
    _Atomic size_t write_pos; /* written by the producer only */
    _Atomic size_t read_pos;  /* written by the consumer only */
} sh_ringbuf;

/* Allocate room for at least `min_capacity` samples (rounded up to a power
 * of two). Returns 0, or -1 when out of memory. Not real-time safe. */
int sh_ringbuf_init(sh_ringbuf *rb, size_t min_capacity);
void sh_ringbuf_free(sh_ringbuf *rb);

size_t sh_ringbuf_capacity(const sh_ringbuf *rb);
/* Samples that can be read / written now. */
size_t sh_ringbuf_readable(sh_ringbuf *rb);
size_t sh_ringbuf_writable(sh_ringbuf *rb);
/* Producer: copy up to n samples in; returns how many fit. Real-time safe. */
size_t sh_ringbuf_write(sh_ringbuf *rb, const float *src, size_t n);
/* Consumer: copy up to n samples out; returns how many were read. */
size_t sh_ringbuf_read(sh_ringbuf *rb, float *dst, size_t n);

#endif
