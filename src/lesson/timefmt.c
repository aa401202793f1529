/* Times as teachers type them: "12.5", "01:02.5", "1:02:03.250".
 *
 * Parsed by hand rather than with strtod: strtod follows LC_NUMERIC (a
 * German locale would stop at the '.'), and accepts forms that are typos in
 * a cue file ("1e3", "+5", "inf", hex). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shadowing/lesson.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool sh_time_parse(const char *s, double *out)
{
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;

    /* Up to three ':'-separated fields; only the last may have a fraction. */
    uint64_t field[3];
    int nf = 0;
    size_t i = 0;
    for (;;) {
        size_t start = i;
        uint64_t v = 0;
        while (i < n && is_digit(s[i])) {
            if (i - start >= 9)
                return false; /* absurdly long: also keeps v exact */
            v = v * 10 + (uint64_t)(s[i] - '0');
            i++;
        }
        size_t digits = i - start;
        if (digits == 0)
            return false;
        /* After the first field, minutes and seconds are two digits and < 60
         * ("1:5" is ambiguous: 1:05 or 1:50?). */
        if (nf > 0 && (digits != 2 || v >= 60))
            return false;
        field[nf++] = v;
        if (i < n && s[i] == ':') {
            if (nf == 3)
                return false;
            i++;
            continue;
        }
        break;
    }
    uint64_t num = 0, den = 1;
    if (i < n && s[i] == '.') {
        i++;
        size_t start = i;
        while (i < n && is_digit(s[i])) {
            if (i - start < 9) { /* nanoseconds are plenty */
                num = num * 10 + (uint64_t)(s[i] - '0');
                den *= 10;
            }
            i++;
        }
        if (i == start)
            return false;
    }
    if (i != n)
        return false;
    uint64_t secs = 0;
    for (int k = 0; k < nf; k++)
        secs = secs * 60 + field[k]; /* < 10^9 * 3600: no overflow */
    /* One division of exact integers gives the double nearest the decimal,
     * as strtod would: "1.235" == 1.235. */
    if (secs <= (UINT64_C(1) << 53) / den)
        *out = (double)(secs * den + num) / (double)den;
    else
        *out = (double)secs + (double)num / (double)den;
    return true;
}

char *sh_time_format(double seconds, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (isnan(seconds)) {
        snprintf(buf, size, "--:--.---");
        return buf;
    }
    if (!isfinite(seconds) || fabs(seconds) > 1e12) {
        snprintf(buf, size, "%g", seconds);
        return buf;
    }
    const char *sign = "";
    if (seconds < 0) {
        sign = "-";
        seconds = -seconds;
    }
    long long ms = llround(seconds * 1000.0);
    long long h = ms / 3600000;
    int m = (int)(ms / 60000 % 60);
    int sec = (int)(ms / 1000 % 60);
    int frac = (int)(ms % 1000);
    if (ms == 0)
        sign = "";
    if (h > 0)
        snprintf(buf, size, "%s%lld:%02d:%02d.%03d", sign, h, m, sec, frac);
    else
        snprintf(buf, size, "%s%02d:%02d.%03d", sign, m, sec, frac);
    return buf;
}
