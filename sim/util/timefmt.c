/* timefmt.c - parsing of durations written by users. */
#include "arsim/timefmt.h"

#include <glib.h>
#include <math.h>
#include <string.h>

bool dur_from_seconds(double secs, uint64_t max_us, uint64_t *out_us)
{
    double us = secs * 1e6;
    if (!isfinite(us) || us < 0 || us > (double)max_us)
        return false;
    *out_us = (uint64_t)llround(us);
    return true;
}

bool dur_parse(const char *s, uint64_t max_us, uint64_t *out_us)
{
    if (!s)
        return false;
    /* Plain decimals only (as the schema says): no sign, exponent, hex or spaces. */
    const char *p = s;
    while (g_ascii_isdigit(*p))
        p++;
    if (p == s)
        return false;
    if (*p == '.') {
        const char *f = ++p;
        while (g_ascii_isdigit(*p))
            p++;
        if (p == f)
            return false;
    }
    char *end = NULL;
    double x = g_ascii_strtod(s, &end);
    if (end != p)
        return false;
    double scale = strcmp(end, "ms") == 0 ? 1e-3
                 : strcmp(end, "s") == 0 || !*end ? 1.0
                 : strcmp(end, "m") == 0 ? 60.0
                 : strcmp(end, "h") == 0 ? 3600.0
                 : strcmp(end, "d") == 0 ? 86400.0 : -1.0;
    if (scale < 0)
        return false;
    return dur_from_seconds(x * scale, max_us, out_us);
}
