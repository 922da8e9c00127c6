/* fuzz_bgpmsg.c - libFuzzer harness over the live mode's BGP codec: any bytes in, read as a TCP
 * stream of messages; each is framed, decoded (OPEN, UPDATE with and without 4-octet ASNs,
 * NOTIFICATION), and every accepted UPDATE is encoded again and must decode to the same routes.
 * Never a crash, a leak or undefined behaviour. Built with -Dfuzz=true (tests/fuzz/meson.build). */
#include "arsim/bgpmsg.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Encodes u's announcements again and checks they decode to the same attributes and prefixes. */
static void reencode(const BmUpdate *u, bool as4, ArAttrCache *c)
{
    if (!u->attrs || u->nlri->len == 0)
        return;
    g_autoptr(GByteArray) b = g_byte_array_new();
    const ArPrefix *p = (const ArPrefix *)(const void *)u->nlri->data;
    guint done = bm_put_update(b, u->attrs, as4, p, u->nlri->len);
    if (done == 0)
        return; /* the attributes alone do not fit (a long AS_SET flattened) */
    BmError e;
    if (bm_frame(b->data, b->len, &e) != (gssize)b->len)
        __builtin_trap();
    BmUpdate v;
    bm_update_init(&v);
    if (!bm_parse_update(b->data, b->len, as4, c, &v, &e) || v.attrs != u->attrs || v.nlri->len != done)
        __builtin_trap();
    for (guint i = 0; i < done; i++)
        if (pfx_key(g_array_index(v.nlri, ArPrefix, i)) != pfx_key(p[i]))
            __builtin_trap();
    bm_update_clear(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ArAttrCache *c = attr_cache_new();
    size_t off = 0;
    while (off < size) {
        BmError e = { 0 };
        gssize m = bm_frame(data + off, size - off, &e);
        if (m <= 0)
            break;
        const uint8_t *msg = data + off;
        BmOpen o;
        switch (msg[18]) {
        case BM_OPEN:
            if (bm_parse_open(msg, (size_t)m, &o, &e) && (o.bgp_id == 0 || o.hold_time == 1 || o.hold_time == 2))
                __builtin_trap();
            break;
        case BM_UPDATE:
            for (int as4 = 0; as4 < 2; as4++) {
                BmUpdate u;
                bm_update_init(&u);
                if (bm_parse_update(msg, (size_t)m, as4, c, &u, &e)) {
                    if (u.treat_as_withdraw && (u.attrs || !u.why))
                        __builtin_trap();
                    reencode(&u, as4, c);
                } else if (e.code != BM_ERR_UPDATE || !e.why) {
                    __builtin_trap();
                }
                bm_update_clear(&u);
            }
            break;
        case BM_NOTIFICATION:
            bm_parse_notification(msg, (size_t)m, &e);
            if (!bm_error_name(e.code, e.subcode))
                __builtin_trap();
            break;
        default:
            break;
        }
        off += (size_t)m;
    }
    attr_cache_free(c);
    return 0;
}
