/* prefix.h - IPv4 addresses and prefixes as integers: parse once, format only at output. */
#ifndef ARSIM_PREFIX_H
#define ARSIM_PREFIX_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* An IPv4 prefix. Inside the engine a prefix is never a string: it hashes and compares as the
 * 64-bit key pfx_key() returns. */
typedef struct ArPrefix {
    uint32_t addr; /* network address, host byte order, host bits zero */
    uint8_t len;   /* prefix length, 0..32 */
} ArPrefix;

/* Enough for "255.255.255.255/32" and the terminating NUL. */
#define PFX_STRLEN 19
#define IP_STRLEN 16

/* Result of parsing text as a prefix. */
typedef enum PfxParse {
    PFX_OK = 0,       /* valid prefix, host bits zero */
    PFX_BAD_SYNTAX,   /* not a.b.c.d/len */
    PFX_HOST_BITS,    /* valid syntax, but bits beyond the length are set (10.1.0.1/16) */
} PfxParse;

/* Parses "a.b.c.d/len". On PFX_HOST_BITS *out holds the masked network. O(strlen). */
PfxParse pfx_parse(const char *s, ArPrefix *out);
/* Parses a dotted-quad address. */
bool ip_parse(const char *s, uint32_t *out);

/* Formats into buf (at least PFX_STRLEN / IP_STRLEN bytes); returns buf. */
char *pfx_format(ArPrefix p, char *buf);
char *ip_format(uint32_t ip, char *buf);

/* Netmask of a length: 0 -> 0, 32 -> 0xffffffff. */
static inline uint32_t pfx_mask(uint8_t len) { return len ? (uint32_t)(0xffffffffu << (32 - len)) : 0u; }

/* One 64-bit key per prefix: address in the high bits, length in the low byte. Sorting by key
 * orders by address, then by length (the order every table prints in). */
static inline uint64_t pfx_key(ArPrefix p) { return ((uint64_t)p.addr << 8) | p.len; }
static inline ArPrefix pfx_from_key(uint64_t k) { return (ArPrefix){ (uint32_t)(k >> 8), (uint8_t)(k & 0xff) }; }

/* Sorts n prefix keys (pfx_key: 40 bits) ascending: LSD radix sort, 16 + 16 + 8 bits, O(n) with a
 * scratch array of n; a digit every key shares costs no pass. Faster than a comparison sort from
 * a few thousand keys on (a million: about 15 ms). */
void pfx_keys_sort(uint64_t *keys, size_t n);
/* Stable sort of n records of size bytes (at least 8) whose first 8 bytes are a prefix key, by
 * that key ascending: insertion below 256 records, else pfx_keys_sort's radix passes moving whole
 * records. O(n). Records of equal keys keep their order. */
void pfx_sort_by_key(void *items, size_t n, size_t size);

/* True when inner lies within outer (equal, or longer and inside). */
static inline bool pfx_within(ArPrefix inner, ArPrefix outer)
{
    return inner.len >= outer.len && (inner.addr & pfx_mask(outer.len)) == outer.addr;
}
/* True when the address lies inside p. */
static inline bool pfx_contains_ip(ArPrefix p, uint32_t ip) { return (ip & pfx_mask(p.len)) == p.addr; }
/* True when the two prefixes share any address. */
static inline bool pfx_overlap(ArPrefix a, ArPrefix b) { return pfx_within(a, b) || pfx_within(b, a); }

/* Total order on prefixes (address, then length) for qsort. */
int pfx_cmp(const void *a, const void *b);

/* A covering range: count consecutive items of a sorted list, all inside cover ("256 prefixes in
 * 128.0.0.0/16"). count 1 with cover equal to the item's own prefix is a plain prefix. */
typedef struct ArPfxRange {
    ArPrefix cover; /* smallest prefix holding every item of the range */
    guint first;    /* index of the range's first item */
    guint count;    /* items in the range */
} ArPfxRange;

/* Collapses the items lo..hi-1 of a list sorted by prefix key into covering ranges appended to
 * out (ArPfxRange), in list order. Item i's key (pfx_key) is the uint64_t at items + i * stride.
 * No cover holds the neighbours outside the run (items lo-1 and hi, when 0 <= them < n), so a
 * range never claims a prefix that belongs to another run; a run with no neighbour inside its
 * cover is one range. O((hi - lo) x 32): each split lengthens the cover by one bit. */
void pfx_ranges(const void *items, gsize stride, guint n, guint lo, guint hi, GArray *out);

#endif
