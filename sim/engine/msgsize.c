/* msgsize.c - how many prefixes one UPDATE carries within BGP's 4,096 bytes (RFC 4271 4.3). */
#include "arsim/msgsize.h"

/* An attribute: its header (3 bytes, or 4 with extended length past 255) and its value. O(1). */
static size_t attr_size(size_t vlen) { return (vlen > 255 ? 4u : 3u) + vlen; }

/* An AS_PATH or AS4_PATH value: one AS_SEQUENCE (type, count) per 255 ASNs of w octets. O(1). */
static size_t path_size(uint32_t np, unsigned w) { return attr_size((size_t)(np + 254) / 255 * 2 + (size_t)np * w); }

size_t msgsize_attrs(const ArAttrs *a, bool as4, bool local_pref)
{
    const ArAsPath *p = a->path;
    size_t n = attr_size(1) + path_size(p->len, as4 ? 4 : 2) + attr_size(4); /* ORIGIN, AS_PATH, NEXT_HOP */
    if (a->med)
        n += attr_size(4);
    if (local_pref)
        n += attr_size(4);
    if (a->comms->len)
        n += attr_size((size_t)a->comms->len * 4);
    if (!as4)
        for (uint32_t k = 0; k < p->len; k++)
            if (p->asns[k] > G_MAXUINT16) { /* RFC 6793 4.2.2: AS_TRANS in AS_PATH, the true path in AS4_PATH */
                n += path_size(p->len, 4);
                break;
            }
    return n;
}

guint msgsize_fit(const ArPfxTable *pfx, const ArAttrs *a, bool ibgp, const uint32_t *ids, guint n)
{
    size_t room = msgsize_room(a ? msgsize_attrs(a, true, ibgp) : 0);
    guint k = 0;
    for (; k < n; k++) {
        size_t sz = msgsize_prefix((uint8_t)(pfxtab_key(pfx, ids[k]) & 0xff));
        if (sz > room)
            break;
        room -= sz;
    }
    return MAX(k, MIN(n, 1u));
}
