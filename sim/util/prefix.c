/* prefix.c - parsing and formatting of IPv4 addresses and prefixes. */
#include "arsim/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one decimal number of at most max from *sp; advances *sp. No sign, no leading '+'. */
static bool read_num(const char **sp, unsigned max, unsigned *out)
{
    const char *s = *sp;
    unsigned v = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (++digits > 3 || v > max)
            return false;
        s++;
    }
    if (digits == 0)
        return false;
    /* "01" style leading zeros are ambiguous (octal in inet_aton): refuse them. */
    if (digits > 1 && **sp == '0')
        return false;
    *sp = s;
    *out = v;
    return true;
}

static bool read_ip(const char **sp, uint32_t *out)
{
    uint32_t ip = 0;
    for (int i = 0; i < 4; i++) {
        unsigned octet;
        if (!read_num(sp, 255, &octet))
            return false;
        ip = (ip << 8) | octet;
        if (i < 3) {
            if (**sp != '.')
                return false;
            (*sp)++;
        }
    }
    *out = ip;
    return true;
}

bool ip_parse(const char *s, uint32_t *out)
{
    uint32_t ip;
    if (!s || !read_ip(&s, &ip) || *s != '\0')
        return false;
    *out = ip;
    return true;
}

PfxParse pfx_parse(const char *s, ArPrefix *out)
{
    uint32_t ip;
    unsigned len;
    if (!s || !read_ip(&s, &ip) || *s != '/')
        return PFX_BAD_SYNTAX;
    s++;
    if (!read_num(&s, 32, &len) || *s != '\0')
        return PFX_BAD_SYNTAX;
    out->len = (uint8_t)len;
    out->addr = ip & pfx_mask(out->len);
    return out->addr == ip ? PFX_OK : PFX_HOST_BITS;
}

/* Writes v (0..255) in decimal at p and returns the end. Addresses are formatted once per route
 * of every large output: without printf this is several times faster. */
static char *put_octet(char *p, unsigned v)
{
    g_assert(v <= 255);
    if (v >= 100)
        *p++ = (char)('0' + v / 100);
    if (v >= 10)
        *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

char *ip_format(uint32_t ip, char *buf)
{
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = put_octet(p, (ip >> shift) & 0xff);
        if (shift)
            *p++ = '.';
    }
    *p = '\0';
    return buf;
}

char *pfx_format(ArPrefix p, char *buf)
{
    ip_format(p.addr, buf);
    char *end = buf + strlen(buf);
    *end++ = '/';
    *put_octet(end, p.len) = '\0';
    return buf;
}

int pfx_cmp(const void *a, const void *b)
{
    uint64_t ka = pfx_key(*(const ArPrefix *)a), kb = pfx_key(*(const ArPrefix *)b);
    return (ka > kb) - (ka < kb);
}

/* ---- covering ranges ------------------------------------------------------------------------- */

static ArPrefix pfx_item(const void *items, gsize stride, guint i)
{
    uint64_t k;
    memcpy(&k, (const char *)items + (gsize)i * stride, sizeof k);
    return pfx_from_key(k);
}

/* Smallest prefix holding items lo..hi-1 (sorted by address: the first starts lowest). O(n). */
static ArPrefix pfx_cover(const void *items, gsize stride, guint lo, guint hi)
{
    ArPrefix first = pfx_item(items, stride, lo);
    uint32_t end = first.addr | ~pfx_mask(first.len);
    uint8_t len = first.len;
    for (guint i = lo + 1; i < hi; i++) {
        ArPrefix p = pfx_item(items, stride, i);
        end = MAX(end, p.addr | ~pfx_mask(p.len));
        len = MIN(len, p.len);
    }
    uint32_t differ = first.addr ^ end; /* bits where the lowest and highest address differ */
    uint8_t common = differ ? (uint8_t)__builtin_clz(differ) : 32;
    len = MIN(len, common);
    return (ArPrefix){ first.addr & pfx_mask(len), len };
}

/* Recursion of pfx_ranges; before/after are the neighbours outside the run (NULL when none). */
static void pfx_ranges_in(const void *items, gsize stride, guint lo, guint hi, const ArPrefix *before,
                          const ArPrefix *after, GArray *out)
{
    if (lo >= hi)
        return;
    ArPrefix cover = pfx_cover(items, stride, lo, hi);
    if (hi - lo == 1 || ((!before || !pfx_within(*before, cover)) && (!after || !pfx_within(*after, cover)))) {
        ArPfxRange r = { cover, lo, hi - lo };
        g_array_append_val(out, r);
        return;
    }
    ArPrefix first = pfx_item(items, stride, lo);
    if (first.len == cover.len) { /* the cover itself is an item: alone, then the rest */
        ArPfxRange r = { first, lo, 1 };
        g_array_append_val(out, r);
        pfx_ranges_in(items, stride, lo + 1, hi, before, after, out);
        return;
    }
    /* Split at the first bit past the cover: every item lies in one half (none equals the cover). */
    g_assert(cover.len < 32);
    uint32_t bit = 1u << (31 - cover.len);
    guint mid = lo;
    while (mid < hi && !(pfx_item(items, stride, mid).addr & bit))
        mid++;
    g_assert(mid > lo && mid < hi);
    pfx_ranges_in(items, stride, lo, mid, before, after, out);
    pfx_ranges_in(items, stride, mid, hi, before, after, out);
}

void pfx_ranges(const void *items, gsize stride, guint n, guint lo, guint hi, GArray *out)
{
    g_return_if_fail(lo <= hi && hi <= n);
    ArPrefix before, after;
    if (lo > 0)
        before = pfx_item(items, stride, lo - 1);
    if (hi < n)
        after = pfx_item(items, stride, hi);
    pfx_ranges_in(items, stride, lo, hi, lo > 0 ? &before : NULL, hi < n ? &after : NULL, out);
}

/* Below this many keys, a comparison sort: each radix pass clears a 65,536-entry table. */
#define PFX_RADIX_MIN 16384u
/* Below this many records, pfx_sort_by_key sorts by insertion (a stable sort without tables). */
#define PFX_INSERTION_MAX 256u

static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The key of record i: its first 8 bytes. */
static inline uint64_t rec_key(const unsigned char *items, size_t i, size_t size)
{
    uint64_t k;
    memcpy(&k, items + i * size, sizeof k);
    return k;
}

/* LSD radix sort of n >= 2 records of size bytes by the prefix key in their first 8 bytes: 16 + 16
 * + 8 bits, stable, a digit every key shares costs no pass. O(n) with a scratch copy. Inlined with
 * a constant size where it can be. Records already in order (a list written in prefix order, as
 * generated ones are, sorted again by the next stage) cost one read. */
static inline void radix_by_key(unsigned char *items, size_t n, size_t size)
{
    size_t in_order = 1;
    while (in_order < n && rec_key(items, in_order - 1, size) <= rec_key(items, in_order, size))
        in_order++;
    if (in_order == n)
        return;
    unsigned char *tmp = g_malloc(n * size), *src = items, *dst = tmp;
    size_t *count = g_new(size_t, 65536);
    static const unsigned shifts[] = { 0, 16, 32 };
    for (unsigned pass = 0; pass < G_N_ELEMENTS(shifts); pass++) {
        unsigned sh = shifts[pass];
        uint64_t mask = sh == 32 ? 0xffu : 0xffffu;
        memset(count, 0, (mask + 1) * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            count[(rec_key(src, i, size) >> sh) & mask]++;
        if (count[(rec_key(src, 0, size) >> sh) & mask] == n)
            continue; /* every key has this digit */
        size_t sum = 0;
        for (uint64_t d = 0; d <= mask; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            memcpy(dst + count[(rec_key(src, i, size) >> sh) & mask]++ * size, src + i * size, size);
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    if (src != items)
        memcpy(items, src, n * size);
    g_free(count);
    g_free(tmp);
}

void pfx_keys_sort(uint64_t *keys, size_t n)
{
    if (n < 2)
        return;
    if (n < PFX_RADIX_MIN) { /* the radix passes' counting tables would cost more than the keys */
        qsort(keys, n, sizeof(uint64_t), key_cmp);
        return;
    }
    radix_by_key((unsigned char *)keys, n, sizeof(uint64_t));
}

void pfx_sort_by_key(void *items, size_t n, size_t size)
{
    g_assert(size >= sizeof(uint64_t));
    unsigned char *a = items;
    if (n < PFX_INSERTION_MAX) { /* few records: insertion sort, stable, no tables */
        g_autofree unsigned char *r = g_malloc(size);
        for (size_t i = 1; i < n; i++) {
            uint64_t k = rec_key(a, i, size);
            size_t j = i;
            while (j > 0 && rec_key(a, j - 1, size) > k)
                j--;
            if (j < i) {
                memcpy(r, a + i * size, size);
                memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
                memcpy(a + j * size, r, size);
            }
        }
        return;
    }
    radix_by_key(a, n, size);
}
