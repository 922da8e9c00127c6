/* test_mrt.c - MRT TABLE_DUMP_V2 and bgpdump text in (routesFrom) and out (--mrt-out): byte vectors,
 * truncated and malformed files, bgpdump reading what arsim writes, round trips through a run. */
#include "testlib.h"

#include "arsim/cli.h"
#include "arsim/generate.h"
#include "arsim/loader.h"
#include "arsim/mrt.h"
#include "arsim/output.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* ---- building files byte by byte (independently of the writer) ------------------------------ */

static void b8(GByteArray *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    g_byte_array_append(b, &x, 1);
}
static void b16(GByteArray *b, unsigned v)
{
    b8(b, v >> 8);
    b8(b, v);
}
static void b32(GByteArray *b, uint32_t v)
{
    b16(b, v >> 16);
    b16(b, v & 0xffff);
}

/* MRT header; returns where the length goes (patched by rec_end). */
static guint rec_begin(GByteArray *b, unsigned type, unsigned sub)
{
    b32(b, 1700000000u);
    b16(b, type);
    b16(b, sub);
    b32(b, 0);
    return b->len;
}
static void rec_end(GByteArray *b, guint body)
{
    uint32_t n = b->len - body;
    b->data[body - 4] = (uint8_t)(n >> 24);
    b->data[body - 3] = (uint8_t)(n >> 16);
    b->data[body - 2] = (uint8_t)(n >> 8);
    b->data[body - 1] = (uint8_t)n;
}

/* An attribute header (extended length when asked). */
static void attr_hdr(GByteArray *b, unsigned flags, unsigned type, unsigned len, gboolean ext)
{
    b8(b, flags | (ext ? 0x10 : 0));
    b8(b, type);
    if (ext)
        b16(b, len);
    else
        b8(b, len);
}

/* A RIB entry of peer pi with the attributes in a. */
static void rib_entry(GByteArray *b, unsigned pi, const GByteArray *a)
{
    b16(b, pi);
    b32(b, 1700000000u);
    b16(b, a->len);
    g_byte_array_append(b, a->data, a->len);
}

/* ORIGIN, a one-segment AS_SEQUENCE path and NEXT_HOP. */
static GByteArray *simple_attrs(unsigned origin, const uint32_t *path, unsigned n)
{
    GByteArray *a = g_byte_array_new();
    attr_hdr(a, 0x40, 1, 1, FALSE);
    b8(a, origin);
    attr_hdr(a, 0x40, 2, 2 + 4 * n, FALSE);
    b8(a, 2);
    b8(a, n);
    for (unsigned i = 0; i < n; i++)
        b32(a, path[i]);
    attr_hdr(a, 0x40, 3, 4, FALSE);
    b32(a, 0xC0000201u);
    return a;
}

/* The hand-made file of the edge cases:
 *   PEER_INDEX_TABLE: peer 0 = 192.0.2.1 AS 65001 (2-byte AS), peer 1 = 192.0.2.2 AS 4200000001
 *     (4-byte AS), peer 2 = an IPv6 peer;
 *   10.0.0.0/8: peer 0 (path 65001 65002, IGP) and peer 1 (path 4200000001 65003, EGP);
 *   192.0.2.0/23 written with a host bit in its last byte: peer 1, path 4200000001 {64512,64513}
 *     plus a confederation segment, MED 77, INCOMPLETE, 100 communities (extended length);
 *   172.16.0.0/12: peer 1, a 300-ASN path in two segments (extended length);
 *   0.0.0.0/0: peer 0, no attributes at all;
 *   one RIB_IPV6_UNICAST and one BGP4MP record, skipped. */
static GByteArray *handmade(void)
{
    GByteArray *b = g_byte_array_new();
    guint r = rec_begin(b, 13, 1);
    b32(b, 0x0A000001u);
    b16(b, 4);
    g_byte_array_append(b, (const guint8 *)"test", 4);
    b16(b, 3);
    b8(b, 0); /* IPv4, 2-byte AS */
    b32(b, 0xC0000201u);
    b32(b, 0xC0000201u);
    b16(b, 65001);
    b8(b, 2); /* IPv4, 4-byte AS */
    b32(b, 0xC0000202u);
    b32(b, 0xC0000202u);
    b32(b, 4200000001u);
    b8(b, 3); /* IPv6, 4-byte AS */
    b32(b, 0xC0000203u);
    for (int i = 0; i < 16; i++)
        b8(b, i);
    b32(b, 65009);
    rec_end(b, r);

    r = rec_begin(b, 13, 2);
    b32(b, 0);
    b8(b, 8);
    b8(b, 10);
    b16(b, 2);
    g_autoptr(GByteArray) a0 = simple_attrs(0, (const uint32_t[]){ 65001, 65002 }, 2);
    g_autoptr(GByteArray) a1 = simple_attrs(1, (const uint32_t[]){ 4200000001u, 65003 }, 2);
    rib_entry(b, 0, a0);
    rib_entry(b, 1, a1);
    rec_end(b, r);

    r = rec_begin(b, 13, 2);
    b32(b, 1);
    b8(b, 23);
    b8(b, 192);
    b8(b, 0);
    b8(b, 3); /* 192.0.3.0 with /23: the last bit is a host bit, masked to 192.0.2.0 */
    b16(b, 1);
    g_autoptr(GByteArray) a2 = g_byte_array_new();
    attr_hdr(a2, 0x40, 1, 1, FALSE);
    b8(a2, 2);
    attr_hdr(a2, 0x40, 2, 6 + 10 + 6, FALSE);
    b8(a2, 2); /* AS_SEQUENCE 4200000001 */
    b8(a2, 1);
    b32(a2, 4200000001u);
    b8(a2, 1); /* AS_SET {64512, 64513} */
    b8(a2, 2);
    b32(a2, 64512);
    b32(a2, 64513);
    b8(a2, 3); /* AS_CONFED_SEQUENCE (65099): dropped */
    b8(a2, 1);
    b32(a2, 65099);
    attr_hdr(a2, 0x80, 4, 4, FALSE);
    b32(a2, 77);
    attr_hdr(a2, 0xC0, 8, 400, TRUE);
    for (unsigned i = 0; i < 100; i++)
        b32(a2, 65001u << 16 | i);
    attr_hdr(a2, 0x40, 5, 4, FALSE); /* LOCAL_PREF: read past */
    b32(a2, 200);
    rib_entry(b, 1, a2);
    rec_end(b, r);

    r = rec_begin(b, 13, 2);
    b32(b, 2);
    b8(b, 12);
    b8(b, 172);
    b8(b, 16);
    b16(b, 1);
    g_autoptr(GByteArray) a3 = g_byte_array_new();
    attr_hdr(a3, 0x40, 2, 2 + 255 * 4 + 2 + 45 * 4, TRUE);
    b8(a3, 2);
    b8(a3, 255);
    for (unsigned i = 0; i < 255; i++)
        b32(a3, 4200000001u + i);
    b8(a3, 2);
    b8(a3, 45);
    for (unsigned i = 0; i < 45; i++)
        b32(a3, 1000 + i);
    rib_entry(b, 1, a3);
    rec_end(b, r);

    r = rec_begin(b, 13, 2);
    b32(b, 3);
    b8(b, 0);
    b16(b, 1);
    g_autoptr(GByteArray) none = g_byte_array_new();
    rib_entry(b, 0, none);
    rec_end(b, r);

    r = rec_begin(b, 13, 4); /* RIB_IPV6_UNICAST: 2001:db8::/32 */
    b32(b, 4);
    b8(b, 32);
    b32(b, 0x20010db8u);
    b16(b, 0);
    rec_end(b, r);
    r = rec_begin(b, 16, 5); /* BGP4MP STATE_CHANGE_AS4: skipped */
    b32(b, 0);
    rec_end(b, r);
    return b;
}

static const ArTableRoute *route_of(const ArRouteTable *t, const char *pfx)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(pfx, &p), ==, PFX_OK);
    for (guint i = 0; i < t->routes->len; i++) {
        const ArTableRoute *r = &g_array_index(t->routes, ArTableRoute, i);
        if (r->prefix.addr == p.addr && r->prefix.len == p.len)
            return r;
    }
    return NULL;
}

static const ArTableAttrs *attrs_of(const ArRouteTable *t, const char *pfx)
{
    const ArTableRoute *r = route_of(t, pfx);
    g_assert_nonnull(r);
    return &g_array_index(t->attrs, ArTableAttrs, r->attrs);
}

static uint32_t asn_at(const ArRouteTable *t, const ArTableAttrs *a, guint i)
{
    g_assert_cmpuint(i, <, a->path_len);
    return g_array_index(t->asns, uint32_t, a->path_at + i);
}

static void test_handmade(void)
{
    g_autoptr(GByteArray) b = handmade();
    /* Peer 1 by index: its three routes. */
    g_autoptr(ArRouteTable) t = scn_route_table_new("handmade.mrt");
    ArMrtPeerSel sel = { .by_index = true, .index = 1 };
    g_autoptr(GError) e = NULL;
    g_assert_true(mrt_parse(b->data, b->len, &sel, t, &e));
    g_assert_no_error(e);
    g_assert_cmpuint(t->routes->len, ==, 3);
    g_assert_cmpuint(t->skipped_ipv6, ==, 1);
    g_assert_cmpuint(t->skipped_other, ==, 1);
    const ArTableAttrs *a = attrs_of(t, "10.0.0.0/8");
    g_assert_cmpuint(a->origin, ==, ORIGIN_EGP);
    g_assert_cmpuint(a->path_len, ==, 2);
    g_assert_cmpuint(asn_at(t, a, 0), ==, 4200000001u);
    a = attrs_of(t, "192.0.2.0/23"); /* host bit masked */
    g_assert_cmpuint(a->origin, ==, ORIGIN_INCOMPLETE);
    g_assert_cmpuint(a->med, ==, 77);
    g_assert_cmpuint(a->path_len, ==, 3); /* the set flattened, the confederation segment dropped */
    g_assert_cmpuint(asn_at(t, a, 1), ==, 64512);
    g_assert_cmpuint(asn_at(t, a, 2), ==, 64513);
    g_assert_cmpuint(a->comm_len, ==, 100);
    g_assert_cmpuint(g_array_index(t->comms, uint32_t, a->comm_at + 99), ==, 65001u << 16 | 99);
    a = attrs_of(t, "172.16.0.0/12");
    g_assert_cmpuint(a->path_len, ==, 300);
    g_assert_cmpuint(asn_at(t, a, 254), ==, 4200000001u + 254);
    g_assert_cmpuint(asn_at(t, a, 299), ==, 1044);
    g_assert_cmpuint(a->origin, ==, ORIGIN_IGP); /* absent: IGP */
    /* Ascending by prefix. */
    for (guint i = 1; i < t->routes->len; i++)
        g_assert_cmpuint(pfx_key(g_array_index(t->routes, ArTableRoute, i - 1).prefix), <,
                         pfx_key(g_array_index(t->routes, ArTableRoute, i).prefix));

    /* Peer 0 by address: 10/8 with its own path, and the default route. */
    g_autoptr(ArRouteTable) t0 = scn_route_table_new("handmade.mrt");
    sel = (ArMrtPeerSel){ .by_ip = true, .ip = 0xC0000201u };
    g_assert_true(mrt_parse(b->data, b->len, &sel, t0, NULL));
    g_assert_cmpuint(t0->routes->len, ==, 2);
    g_assert_cmpuint(asn_at(t0, attrs_of(t0, "10.0.0.0/8"), 1), ==, 65002);
    g_assert_cmpuint(attrs_of(t0, "0.0.0.0/0")->path_len, ==, 0);

    /* No peer: each record's first entry. */
    g_autoptr(ArRouteTable) ta = scn_route_table_new("handmade.mrt");
    g_assert_true(mrt_parse(b->data, b->len, NULL, ta, NULL));
    g_assert_cmpuint(ta->routes->len, ==, 4);
    g_assert_cmpuint(asn_at(ta, attrs_of(ta, "10.0.0.0/8"), 0), ==, 65001);

    /* A peer the file does not list. */
    g_autoptr(ArRouteTable) tx = scn_route_table_new("handmade.mrt");
    sel = (ArMrtPeerSel){ .by_ip = true, .ip = 0xC0000209u };
    g_assert_false(mrt_parse(b->data, b->len, &sel, tx, &e));
    g_assert_nonnull(strstr(e->message, "no peer 192.0.2.9 in the PEER_INDEX_TABLE; its peers: 192.0.2.1 (index 0, AS 65001)"));
    g_clear_error(&e);
    sel = (ArMrtPeerSel){ .by_index = true, .index = 3 };
    g_assert_false(mrt_parse(b->data, b->len, &sel, tx, &e));
    g_assert_nonnull(strstr(e->message, "peer index 3 chosen, but the PEER_INDEX_TABLE lists 3 peers"));
}

/* A BGP4MP message record (type 16, or 17 with microseconds) from peer_ip carrying a BGP message:
 * type 2 (UPDATE) with the withdrawn, attributes and NLRI given, or another type with no body. */
static void bgp4mp(GByteArray *b, gboolean et, gboolean as4, uint32_t peer_ip, unsigned type, const GByteArray *wd,
                   const GByteArray *attrs, const GByteArray *nlri)
{
    guint r = rec_begin(b, et ? 17 : 16, as4 ? 4 : 1);
    if (et)
        b32(b, 123456);
    if (as4) {
        b32(b, 4200000001u);
        b32(b, 65515);
    } else {
        b16(b, 23456);
        b16(b, 65515);
    }
    b16(b, 0); /* interface */
    b16(b, 1); /* AFI IPv4 */
    b32(b, peer_ip);
    b32(b, 0x0A000001u);
    for (int i = 0; i < 16; i++)
        b8(b, 0xff);
    guint body = type == 2 ? 4 + wd->len + attrs->len + nlri->len : 0;
    b16(b, 19 + body);
    b8(b, type);
    if (type == 2) {
        b16(b, wd->len);
        g_byte_array_append(b, wd->data, wd->len);
        b16(b, attrs->len);
        g_byte_array_append(b, attrs->data, attrs->len);
        g_byte_array_append(b, nlri->data, nlri->len);
    }
    rec_end(b, r);
}

static void nlri(GByteArray *b, unsigned a, unsigned b2, unsigned len)
{
    b8(b, len);
    b8(b, a);
    if (len > 8)
        b8(b, b2);
}

/* BGP4MP UPDATEs, applied in order: announcements, a withdrawal, another peer's routes left out,
 * a 2-byte AS_PATH completed by its AS4_PATH (RFC 6793), a KEEPALIVE and an IPv6 session skipped. */
static void test_bgp4mp(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    g_autoptr(GByteArray) none = g_byte_array_new();
    g_autoptr(GByteArray) a4 = simple_attrs(0, (const uint32_t[]){ 4200000001u, 65002 }, 2);
    g_autoptr(GByteArray) two = g_byte_array_new();
    nlri(two, 10, 1, 16);
    nlri(two, 10, 2, 16);
    bgp4mp(b, FALSE, TRUE, 0xC0000201u, 2, none, a4, two);
    /* 2-byte session: AS_PATH 65001 23456 and AS4_PATH 4200000001. */
    g_autoptr(GByteArray) a2 = g_byte_array_new();
    attr_hdr(a2, 0x40, 1, 1, FALSE);
    b8(a2, 1);
    attr_hdr(a2, 0x40, 2, 6, FALSE);
    b8(a2, 2);
    b8(a2, 2);
    b16(a2, 65001);
    b16(a2, 23456);
    attr_hdr(a2, 0xC0, 17, 6, FALSE);
    b8(a2, 2);
    b8(a2, 1);
    b32(a2, 4200000001u);
    g_autoptr(GByteArray) three = g_byte_array_new();
    nlri(three, 10, 3, 16);
    bgp4mp(b, FALSE, FALSE, 0xC0000201u, 2, none, a2, three);
    g_autoptr(GByteArray) wd = g_byte_array_new();
    nlri(wd, 10, 1, 16);
    bgp4mp(b, TRUE, TRUE, 0xC0000201u, 2, wd, none, none); /* withdraws 10.1/16 */
    g_autoptr(GByteArray) other = g_byte_array_new();
    nlri(other, 10, 9, 16);
    bgp4mp(b, FALSE, TRUE, 0xC0000209u, 2, none, a4, other); /* another peer */
    bgp4mp(b, FALSE, TRUE, 0xC0000201u, 4, NULL, NULL, NULL); /* KEEPALIVE */
    ArMrtPeerSel sel = { .by_ip = true, .ip = 0xC0000201u };
    g_autoptr(ArRouteTable) t = scn_route_table_new("updates.mrt");
    g_autoptr(GError) e = NULL;
    g_assert_true(mrt_parse(b->data, b->len, &sel, t, &e));
    g_assert_no_error(e);
    g_assert_cmpuint(t->routes->len, ==, 2);
    g_assert_null(route_of(t, "10.1.0.0/16"));
    g_assert_cmpuint(asn_at(t, attrs_of(t, "10.2.0.0/16"), 0), ==, 4200000001u);
    const ArTableAttrs *x = attrs_of(t, "10.3.0.0/16");
    g_assert_cmpuint(x->path_len, ==, 2);
    g_assert_cmpuint(asn_at(t, x, 0), ==, 65001);
    g_assert_cmpuint(asn_at(t, x, 1), ==, 4200000001u);
    g_assert_cmpuint(x->origin, ==, ORIGIN_EGP);
    g_assert_cmpuint(t->skipped_other, ==, 1);
    /* Without a peer, the other peer's route too. */
    g_autoptr(ArRouteTable) ta = scn_route_table_new("updates.mrt");
    g_assert_true(mrt_parse(b->data, b->len, NULL, ta, NULL));
    g_assert_cmpuint(ta->routes->len, ==, 3);
    /* A peer index means nothing to UPDATEs. */
    g_autoptr(ArRouteTable) ti = scn_route_table_new("updates.mrt");
    sel = (ArMrtPeerSel){ .by_index = true, .index = 0 };
    g_assert_false(mrt_parse(b->data, b->len, &sel, ti, &e));
    g_assert_nonnull(strstr(e->message, "UPDATE messages name peers by address"));
    g_clear_error(&e);
    /* Every truncation is refused with an offset, never a crash. */
    for (guint len = 1; len < b->len; len++) {
        g_autoptr(ArRouteTable) tc = scn_route_table_new("cut.mrt");
        g_autoptr(GError) ec = NULL;
        if (!mrt_parse(b->data, len, NULL, tc, &ec))
            g_assert_true(g_str_has_prefix(ec->message, "cut.mrt: byte "));
    }
}

/* Offsets where the hand-made file's records start (and its end). */
static GArray *record_starts(const GByteArray *b)
{
    GArray *at = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint off = 0; off < b->len;) {
        g_array_append_val(at, off);
        off += 12 + ((guint)b->data[off + 8] << 24 | (guint)b->data[off + 9] << 16 | (guint)b->data[off + 10] << 8 |
                     b->data[off + 11]);
    }
    g_array_append_val(at, b->len);
    return at;
}

/* Every truncation of the file fails with the file, a byte offset and a record type, except at
 * record boundaries; never a crash (the ASan build checks every read). */
static void test_truncated(void)
{
    g_autoptr(GByteArray) b = handmade();
    g_autoptr(GArray) starts = record_starts(b);
    guint k = 0;
    for (guint len = 0; len < b->len; len++) {
        while (k < starts->len && g_array_index(starts, guint, k) < len)
            k++;
        gboolean boundary = k < starts->len && g_array_index(starts, guint, k) == len;
        g_autoptr(ArRouteTable) t = scn_route_table_new("cut.mrt");
        g_autoptr(GError) e = NULL;
        gboolean ok = mrt_parse(b->data, len, NULL, t, &e);
        g_assert_cmpint(ok, ==, boundary);
        if (!ok) {
            g_assert_true(g_str_has_prefix(e->message, "cut.mrt: byte "));
            g_assert_nonnull(strstr(e->message, " record at byte "));
            g_assert_true(strstr(e->message, "TABLE_DUMP_V2/") || strstr(e->message, "(MRT record") ||
                          strstr(e->message, "(BGP4MP record"));
        }
    }
    /* Every single-byte change: parsed or refused, never a crash. */
    for (guint i = 0; i < b->len; i++) {
        g_autoptr(GByteArray) m = g_byte_array_new();
        g_byte_array_append(m, b->data, b->len);
        m->data[i] ^= 0xA5;
        g_autoptr(ArRouteTable) t = scn_route_table_new("flip.mrt");
        g_autoptr(GError) e = NULL;
        if (!mrt_parse(m->data, m->len, NULL, t, &e))
            g_assert_true(g_str_has_prefix(e->message, "flip.mrt: byte "));
    }
}

/* Wrong values, each at the offset of the faulty field. */
static void expect_error(const GByteArray *b, const char *want)
{
    g_autoptr(ArRouteTable) t = scn_route_table_new("bad.mrt");
    g_autoptr(GError) e = NULL;
    g_assert_false(mrt_parse(b->data, b->len, NULL, t, &e));
    g_assert_error(e, AR_ERROR, AR_ERROR_INPUT);
    if (!strstr(e->message, want))
        g_error("expected \"%s\" in \"%s\"", want, e->message);
}

static GByteArray *one_peer_index(void)
{
    GByteArray *b = g_byte_array_new();
    guint r = rec_begin(b, 13, 1);
    b32(b, 1);
    b16(b, 0);
    b16(b, 1);
    b8(b, 2);
    b32(b, 0x0A000001u);
    b32(b, 0x0A000001u);
    b32(b, 65001);
    rec_end(b, r); /* 12 + 4 + 2 + 2 + 13 = 33 bytes */
    return b;
}

static void test_malformed(void)
{
    /* RIB record with prefix length 33: the length byte is at 33 + 12 + 4. */
    g_autoptr(GByteArray) b = one_peer_index();
    guint r = rec_begin(b, 13, 2);
    b32(b, 0);
    b8(b, 33);
    rec_end(b, r);
    expect_error(b, "bad.mrt: byte 49 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 33): prefix length 33 is over 32");

    /* ORIGIN 3. */
    g_autoptr(GByteArray) c = one_peer_index();
    r = rec_begin(c, 13, 2);
    b32(c, 0);
    b8(c, 8);
    b8(c, 10);
    b16(c, 1);
    g_autoptr(GByteArray) a = g_byte_array_new();
    attr_hdr(a, 0x40, 1, 1, FALSE);
    b8(a, 3);
    rib_entry(c, 0, a);
    rec_end(c, r);
    expect_error(c, "byte 61 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 33): ORIGIN must be one byte of 0, 1 or 2");

    /* Peer index beyond the table. */
    g_autoptr(GByteArray) d = one_peer_index();
    r = rec_begin(d, 13, 2);
    b32(d, 0);
    b8(d, 8);
    b8(d, 10);
    b16(d, 1);
    g_autoptr(GByteArray) empty = g_byte_array_new();
    rib_entry(d, 5, empty);
    rec_end(d, r);
    expect_error(d, "byte 53 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 33): peer index 5, but the PEER_INDEX_TABLE lists 1 peers");

    /* A RIB record before any PEER_INDEX_TABLE. */
    g_autoptr(GByteArray) f = g_byte_array_new();
    r = rec_begin(f, 13, 2);
    b32(f, 0);
    b8(f, 0);
    b16(f, 0);
    rec_end(f, r);
    expect_error(f, "byte 12 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 0): no PEER_INDEX_TABLE before the first RIB record");

    /* An AS_PATH segment longer than its attribute. */
    g_autoptr(GByteArray) g = one_peer_index();
    r = rec_begin(g, 13, 2);
    b32(g, 0);
    b8(g, 8);
    b8(g, 10);
    b16(g, 1);
    g_autoptr(GByteArray) ap = g_byte_array_new();
    attr_hdr(ap, 0x40, 2, 6, FALSE);
    b8(ap, 2);
    b8(ap, 2); /* two ASNs announced, one present */
    b32(ap, 65001);
    rib_entry(g, 0, ap);
    rec_end(g, r);
    expect_error(g, "byte 64 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 33): AS_PATH segment of 2 ASNs needs 8 bytes, 4 left");

    /* Not an MRT file at all: a JSON document's first bytes make a huge record length. */
    const char *json = "{\"vnets\": []}\n";
    g_autoptr(GByteArray) j = g_byte_array_new();
    g_byte_array_append(j, (const guint8 *)json, (guint)strlen(json));
    expect_error(j, "bad.mrt: byte 8 (MRT record at byte 0): record length");
}

/* What the writer encodes, the reader decodes; long paths and many communities included. */
static void test_writer_roundtrip(void)
{
    ArAttrCache *c = attr_cache_new();
    uint32_t path[600], comms[300];
    for (guint i = 0; i < 600; i++)
        path[i] = 4200000000u + i;
    for (guint i = 0; i < 300; i++)
        comms[i] = 65010u << 16 | i;
    ArAttrs a = { .path = attr_path(c, path, 600), .comms = attr_comms(c, comms, 300), .next_hop = 0x0A000001u,
                  .local_pref = 100, .med = 5, .origin = ORIGIN_EGP };
    ArAttrs local = { .path = attr_path(c, NULL, 0), .comms = attr_comms(c, NULL, 0), .next_hop = 0x0A000002u,
                      .local_pref = 100 };
    ArMrtPeer peers[2] = { { 0x0A000001u, 0x0A000001u, 4200000000u }, { 0x0A000002u, 0x0A000002u, 65002 } };
    g_autoptr(GByteArray) b = g_byte_array_new();
    mrt_put_peer_index(b, 0, 0x0A000002u, "node", peers, 2);
    mrt_put_rib_ipv4(b, 0, 0, (ArPrefix){ 0x0A640000u, 16 }, 0, &a);
    mrt_put_rib_ipv4(b, 0, 1, (ArPrefix){ 0x0A650000u, 17 }, 1, &local);
    mrt_put_rib_ipv4(b, 0, 2, (ArPrefix){ 0x0A660100u, 24 }, 0, &a);
    g_autoptr(ArRouteTable) t = scn_route_table_new("w.mrt");
    g_assert_true(mrt_parse(b->data, b->len, NULL, t, NULL));
    g_assert_cmpuint(t->routes->len, ==, 3);
    g_assert_cmpuint(t->attrs->len, ==, 2); /* the same set twice is stored once */
    const ArTableAttrs *x = attrs_of(t, "10.100.0.0/16");
    g_assert_cmpuint(x->path_len, ==, 600);
    g_assert_cmpuint(asn_at(t, x, 599), ==, 4200000599u);
    g_assert_cmpuint(x->comm_len, ==, 300);
    g_assert_cmpuint(x->med, ==, 5);
    g_assert_cmpuint(x->origin, ==, ORIGIN_EGP);
    g_assert_cmpuint(attrs_of(t, "10.101.0.0/17")->path_len, ==, 0);
    g_assert_cmpuint(route_of(t, "10.102.1.0/24")->attrs, ==, route_of(t, "10.100.0.0/16")->attrs);
    /* The same selection by peer: only peer 1's route. */
    g_autoptr(ArRouteTable) t1 = scn_route_table_new("w.mrt");
    ArMrtPeerSel sel = { .by_ip = true, .ip = 0x0A000002u };
    g_assert_true(mrt_parse(b->data, b->len, &sel, t1, NULL));
    g_assert_cmpuint(t1->routes->len, ==, 1);
    attr_cache_free(c);
}

static void test_text(void)
{
    const char *text =
        "TABLE_DUMP2|1700000000|B|192.0.2.1|65001|10.0.0.0/8|65001 65002 {64512,64513}|IGP|192.0.2.1|0|0|65001:1 no-export|NAG||\n"
        "TABLE_DUMP2|1700000000|B|192.0.2.2|4200000001|10.0.0.0/8|4200000001 (65099 65098) 3|EGP|192.0.2.2|0|12||NAG||\n"
        "TABLE_DUMP2|1700000000|B|2001:db8::1|65001|2001:db8::/32|65001|IGP|2001:db8::1|0|0||NAG||\r\n"
        "BGP4MP|1700000001|A|192.0.2.1|65001|10.1.0.0/16|65001|INCOMPLETE|192.0.2.1|0|0||NAG||\n"
        "BGP4MP|1700000002|STATE|192.0.2.1|65001|3|6\n"
        "BGP4MP|1700000003|W|192.0.2.1|65001|10.1.0.0/16\n"
        "BGP4MP|1700000004|A|192.0.2.1|65001|10.2.0.0/16|65001 1.10|IGP|192.0.2.1|0|0||NAG||\n";
    g_autoptr(ArRouteTable) t = scn_route_table_new("dump.txt");
    ArMrtPeerSel sel = { .by_ip = true, .ip = 0xC0000201u };
    g_autoptr(GError) e = NULL;
    g_assert_true(mrt_parse_text(text, strlen(text), &sel, t, &e));
    g_assert_no_error(e);
    g_assert_cmpuint(t->routes->len, ==, 2); /* 10.1/16 withdrawn */
    g_assert_cmpuint(t->skipped_ipv6, ==, 1);
    g_assert_cmpuint(t->skipped_other, ==, 1);
    const ArTableAttrs *a = attrs_of(t, "10.0.0.0/8");
    g_assert_cmpuint(a->path_len, ==, 4);
    g_assert_cmpuint(asn_at(t, a, 3), ==, 64513);
    g_assert_cmpuint(a->comm_len, ==, 2);
    g_assert_cmpuint(g_array_index(t->comms, uint32_t, a->comm_at + 1), ==, COMM_NO_EXPORT);
    g_assert_cmpuint(asn_at(t, attrs_of(t, "10.2.0.0/16"), 1), ==, 65546); /* asdot 1.10 */
    /* Without a peer: lines in order, the last announcement of a prefix wins. */
    g_autoptr(ArRouteTable) ta = scn_route_table_new("dump.txt");
    g_assert_true(mrt_parse_text(text, strlen(text), NULL, ta, NULL));
    a = attrs_of(ta, "10.0.0.0/8");
    g_assert_cmpuint(a->path_len, ==, 2); /* the confederation segment dropped */
    g_assert_cmpuint(a->med, ==, 12);
    g_assert_cmpuint(a->origin, ==, ORIGIN_EGP);
    /* Errors name the file and the line. */
    const char *bad[][2] = {
        { "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/8|65001 x|IGP|192.0.2.1|0|0||NAG||\n", "bad.txt:1: AS path \"65001 x\"" },
        { "\nTABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/8|65001|IGX|192.0.2.1|0|0||NAG||\n", "bad.txt:2: origin \"IGX\"" },
        { "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/8|65001|IGP|192.0.2.1|0|0|65536:1|NAG||\n", "bad.txt:1: community 65536:1" },
        { "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/33|65001|IGP\n", "bad.txt:1: an announcement line with 8 fields" },
        { "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/33|65001|IGP|192.0.2.1|0|0||NAG||\n", "bad.txt:1: prefix \"10.0.0.0/33\"" },
        { "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/8|{65001|IGP|192.0.2.1|0|0||NAG||\n", "bad.txt:1: AS path \"{65001\": unclosed" },
        { "\x0d\x00\x01", "bad.txt:1: NUL byte" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(ArRouteTable) tb = scn_route_table_new("bad.txt");
        g_autoptr(GError) eb = NULL;
        size_t len = i == G_N_ELEMENTS(bad) - 1 ? 3 : strlen(bad[i][0]);
        g_assert_false(mrt_parse_text(bad[i][0], len, NULL, tb, &eb));
        if (!g_str_has_prefix(eb->message, bad[i][1]))
            g_error("expected \"%s\", got \"%s\"", bad[i][1], eb->message);
    }
}

/* ---- through the command line ----------------------------------------------------------------- */

/* `arsim validate FILE` in this process, what it printed captured. */
static TestRun validate(const char *file)
{
    TestRun c = { 0 };
    size_t no, ne;
    FILE *out = open_memstream(&c.out, &no), *err = open_memstream(&c.err, &ne);
    char *files[] = { (char *)file, NULL };
    c.status = cmd_validate(files, NULL, out, err);
    fclose(out);
    fclose(err);
    return c;
}

static char *source_path(const char *rel)
{
    return g_build_filename(g_getenv("ARSIM_SOURCE_ROOT"), rel, NULL);
}

/* bgpdump -m FILE, NULL when bgpdump is not installed. */
static char *bgpdump(const char *file)
{
    g_autofree char *exe = g_find_program_in_path("bgpdump");
    if (!exe)
        return NULL;
    const char *argv[] = { exe, "-m", file, NULL };
    char *out = NULL;
    int wait = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &wait, &e));
    g_assert_no_error(e);
    g_assert_true(g_spawn_check_wait_status(wait, NULL));
    return out;
}

/* What bgpdump -m should print after PEER_AS for a route of run --json: prefix, AS path (spaces
 * for Azure's hyphens), ORIGIN (IGP: the scenario originates every route so), next hop, LOCAL_PREF,
 * MED (0: not used), communities, atomic aggregate (none), aggregator (none). */
static char *expected_line(const cJSON *route)
{
    g_autofree char *path = g_strdup(cJSON_GetObjectItem(route, "asPath")->valuestring);
    g_strdelimit(path, "-", ' ');
    GString *comms = g_string_new(NULL);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(route, "communities"))
        g_string_append_printf(comms, "%s%s", comms->len ? " " : "", c->valuestring);
    char *line = g_strdup_printf("%s|%s|IGP|%s|%d|0|%s|NAG||", cJSON_GetObjectItem(route, "prefix")->valuestring, path,
                                 cJSON_GetObjectItem(route, "nextHop")->valuestring,
                                 cJSON_GetObjectItem(route, "localPref")->valueint, comms->str);
    g_string_free(comms, TRUE);
    return line;
}

/* Every file --mrt-out writes for scenario name, bgpdump reads, and it shows each node's best
 * routes as run --json does: prefix, AS path, next hop, LOCAL_PREF, communities, in the same
 * order, from the peer they came from. Returns the lines compared. */
static guint compare_with_bgpdump(const char *name)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-mrt-XXXXXX", NULL);
    g_autofree char *rel = g_strdup_printf("scenarios/%s", name);
    g_autofree char *scn = source_path(rel);
    ArRunArgs a = { .file = scn, .format = "json", .seed = 1, .mrt_out = dir };
    TestRun c = test_cmd_run(&a);
    g_assert_cmpint(c.status, ==, EXIT_OK);
    cJSON *doc = cJSON_Parse(c.out);
    g_assert_nonnull(doc);
    guint lines = 0;
    const cJSON *node;
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(doc, "nodes")) {
        g_autofree char *file = g_strdup_printf("%s/%s.mrt", dir, node->string);
        g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
        g_autofree char *dump = bgpdump(file);
        g_auto(GStrv) got = g_strsplit(dump, "\n", -1);
        guint k = 0;
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(node, "routes")) {
            if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "best")))
                continue;
            g_autofree char *want = expected_line(r);
            g_assert_nonnull(got[k]);
            /* TABLE_DUMP2|TIME|B|PEER_IP|PEER_AS|<want> */
            g_auto(GStrv) f = g_strsplit(got[k], "|", 6);
            g_assert_cmpuint(g_strv_length(f), ==, 6);
            g_assert_cmpstr(f[0], ==, "TABLE_DUMP2");
            g_assert_cmpstr(f[5], ==, want);
            /* The peer is the node the route came from, or the node itself. */
            const cJSON *from = cJSON_GetObjectItem(r, "from");
            const cJSON *peer_node = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "nodes"),
                                                         cJSON_IsString(from) ? from->valuestring : node->string);
            g_assert_nonnull(peer_node);
            g_autofree char *asn = g_strdup_printf("%d", cJSON_GetObjectItem(peer_node, "asn")->valueint);
            g_assert_cmpstr(f[4], ==, asn);
            k++;
            lines++;
        }
        g_assert_true(got[k] == NULL || !*got[k]);
    }
    cJSON_Delete(doc);
    test_run_clear(&c);
    return lines;
}

static void test_bgpdump_reads_output(void)
{
    g_autofree char *exe = g_find_program_in_path("bgpdump");
    if (!exe) {
        g_test_skip("bgpdump is not installed (Debian package bgpdump; tools/test.sh installs it)");
        return;
    }
    const char *names[] = { "seed-er-sdwan.json", "shared-circuit.json", "multi-region.json", "spoke-firewall.json" };
    guint lines = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        lines += compare_with_bgpdump(names[i]);
    g_assert_cmpuint(lines, >=, 50);
}

/* A generated table goes out as MRT (the ExpressRoute site's Loc-RIB), comes back as the site's
 * routesFrom, and the run is the same at every node. */
static void test_generated_roundtrip(void)
{
    ArGenParams gp;
    gen_params_default(&gp);
    gp.er_prefixes = 500;
    gp.nvas = 2;
    g_autoptr(GError) e = NULL;
    cJSON *doc = gen_scenario(&gp, &e);
    g_assert_no_error(e);
    g_autofree char *dir = g_dir_make_tmp("arsim-mrt-XXXXXX", NULL);
    g_autofree char *a_file = g_build_filename(dir, "a.json", NULL);
    g_autofree char *b_file = g_build_filename(dir, "b.json", NULL);
    g_autofree char *text = cJSON_Print(doc);
    g_assert_true(g_file_set_contents(a_file, text, -1, NULL));

    g_autofree char *mrt_dir = g_build_filename(dir, "out", NULL);
    /* At time 0 the site's Loc-RIB holds its own routes only: nothing learned yet. */
    ArRunArgs a = { .file = a_file, .format = "json", .seed = 1, .mrt_out = mrt_dir, .node = "onprem-er", .until = "0" };
    TestRun ca = test_cmd_run(&a);
    g_assert_cmpint(ca.status, ==, EXIT_OK);
    cJSON *ra = cJSON_Parse(ca.out);
    const char *site_ip = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ra, "nodes"), "onprem-er"), "ip")->valuestring;
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ra, "nodes"), "onprem-er"), "routes")), ==, 500);

    /* The same scenario with the site's prefixes from the file (relative to the scenario). */
    cJSON *site = NULL;
    cJSON_ArrayForEach(site, cJSON_GetObjectItem(doc, "sites"))
        if (strcmp(cJSON_GetObjectItem(site, "name")->valuestring, "onprem-er") == 0)
            break;
    g_assert_nonnull(site);
    cJSON_ReplaceItemInObject(site, "addressPrefixes", cJSON_CreateArray());
    cJSON_AddStringToObject(site, "bgpPeeringAddress", site_ip);
    cJSON *from = cJSON_AddObjectToObject(site, "routesFrom");
    cJSON_AddStringToObject(from, "mrt", "out/onprem-er.mrt");
    g_autofree char *text_b = cJSON_Print(doc);
    g_assert_true(g_file_set_contents(b_file, text_b, -1, NULL));

    ArRunArgs b = { .file = b_file, .format = "json", .seed = 1 };
    TestRun cb = test_cmd_run(&b);
    g_assert_cmpint(cb.status, ==, EXIT_OK);
    a.node = NULL;
    a.mrt_out = NULL;
    a.until = NULL;
    TestRun cfull = test_cmd_run(&a);
    cJSON *full = cJSON_Parse(cfull.out), *rb = cJSON_Parse(cb.out);
    cJSON *na = cJSON_GetObjectItem(full, "nodes"), *nb = cJSON_GetObjectItem(rb, "nodes");
    g_assert_cmpint(cJSON_GetArraySize(na), ==, cJSON_GetArraySize(nb));
    const cJSON *n;
    guint routes = 0;
    cJSON_ArrayForEach(n, na) {
        const cJSON *m = cJSON_GetObjectItem(nb, n->string);
        g_assert_nonnull(m);
        g_autofree char *x = cJSON_PrintUnformatted(cJSON_GetObjectItem(n, "routes"));
        g_autofree char *y = cJSON_PrintUnformatted(cJSON_GetObjectItem(m, "routes"));
        if (strcmp(x, y) != 0) {
            size_t d = 0;
            while (x[d] == y[d])
                d++;
            g_error("node %s differs at byte %zu: ...%.120s... against ...%.120s...", n->string, d, x + (d > 60 ? d - 60 : 0),
                    y + (d > 60 ? d - 60 : 0));
        }
        routes += (guint)cJSON_GetArraySize(cJSON_GetObjectItem(n, "routes"));
    }
    g_assert_cmpuint(routes, >, 2500);
    /* The input route file is never written over. */
    ArRunArgs over = { .file = b_file, .seed = 1, .mrt_out = mrt_dir, .node = "onprem-er" };
    TestRun co = test_cmd_run(&over);
    g_assert_cmpint(co.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(co.err, "refusing to write over the input routesFrom "));
    test_run_clear(&co);
    over.mrt_out = "";
    co = test_cmd_run(&over);
    g_assert_cmpint(co.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(co.err, "the folder given to --mrt-out is empty"));
    test_run_clear(&co);
    over.mrt_out = mrt_dir;
    over.node = "hub";
    co = test_cmd_run(&over);
    g_assert_cmpint(co.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(co.err, "--mrt-out writes BGP speakers' tables; \"hub\" is a VNet or subnet"));
    test_run_clear(&co);
    cJSON_Delete(full);
    cJSON_Delete(rb);
    cJSON_Delete(ra);
    cJSON_Delete(doc);
    test_run_clear(&ca);
    test_run_clear(&cb);
    test_run_clear(&cfull);
}

/* A scenario whose site "dc" reads routesFrom %s (a JSON object). */
#define SCENARIO_TMPL \
    "{\"vnets\": [{\"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"]}],\n" \
    " \"gateways\": [{\"name\": \"ergw\", \"vnet\": \"hub\", \"type\": \"ExpressRoute\"}],\n" \
    " \"sites\": [{\"name\": \"dc\", \"asn\": 4200000001, \"addressPrefixes\": [\"10.200.0.0/16\"],\n" \
    "   \"connections\": [{\"expressRouteGateway\": \"ergw\"}],\n" \
    "   \"routesFrom\": %s}]}\n"

/* A scenario whose site reads the hand-made file: the routes arrive at the gateway with their
 * paths; a truncated copy and bad routesFrom objects are exit status 2 with the JSON path. */
static void test_scenario_errors(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-mrt-XXXXXX", NULL);
    g_autoptr(GByteArray) b = handmade();
    g_autofree char *good = g_build_filename(dir, "good.mrt", NULL);
    g_autofree char *cut = g_build_filename(dir, "cut.mrt", NULL);
    g_assert_true(g_file_set_contents(good, (const char *)b->data, b->len, NULL));
    g_assert_true(g_file_set_contents(cut, (const char *)b->data, 100, NULL));
    struct { const char *from; int status; const char *want; } cases[] = {
        { "{\"mrt\": \"good.mrt\", \"peer\": \"192.0.2.2\"}", EXIT_OK, "s.json:5:26: /sites/0/routesFrom/mrt: warning: DIR/good.mrt: 1 IPv6 records skipped (arsim models IPv4 only)" },
        { "{\"mrt\": \"cut.mrt\", \"peer\": 1}", EXIT_BAD_INPUT,
          "/sites/0/routesFrom/mrt: DIR/cut.mrt: byte 81 (TABLE_DUMP_V2/RIB_IPV4_UNICAST record at byte 73): record length 72 runs past the end of the file (15 bytes left): truncated" },
        { "{\"mrt\": \"good.mrt\", \"bgpdump\": \"x.txt\"}", EXIT_BAD_INPUT, "/sites/0/routesFrom: \"mrt\" and \"bgpdump\" exclude each other" },
        { "{\"peer\": 1}", EXIT_BAD_INPUT, "/sites/0/routesFrom: routesFrom needs one of \"mrt\"" },
        { "{\"bgpdump\": \"good.mrt\", \"peer\": 0}", EXIT_BAD_INPUT, "/sites/0/routesFrom/peer: expected the peer's address" },
        { "{\"mrt\": \"good.mrt\", \"peer\": true}", EXIT_BAD_INPUT, "/sites/0/routesFrom/peer: expected the peer's address" },
        { "{\"mrt\": \"missing.mrt\"}", EXIT_BAD_INPUT, "/sites/0/routesFrom/mrt: DIR/missing.mrt: cannot read: No such file" },
        { "{\"mrt\": \".\"}", EXIT_BAD_INPUT, "/sites/0/routesFrom/mrt: DIR/.: not a regular file" },
        { "{\"mrt\": \"good.mrt\", \"pear\": 1}", EXIT_BAD_INPUT, "/sites/0/routesFrom/pear: unknown key" },
    };
    g_autofree char *s_file = g_build_filename(dir, "s.json", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strdup_printf(SCENARIO_TMPL, cases[i].from);
        g_assert_true(g_file_set_contents(s_file, text, -1, NULL));
        TestRun c = validate(s_file);
        g_auto(GStrv) parts = g_strsplit(cases[i].want, "DIR", -1);
        g_autofree char *want = g_strjoinv(dir, parts);
        if (c.status != cases[i].status || !strstr(c.err, want))
            g_error("case %zu: status %d, expected %d with \"%s\" in:\n%s", i, c.status, cases[i].status, want, c.err);
        test_run_clear(&c);
    }
    /* The good file's routes reach the gateway, with the site's ASN once in front. */
    g_autofree char *text = g_strdup_printf(SCENARIO_TMPL, "{\"mrt\": \"good.mrt\", \"peer\": \"192.0.2.2\"}");
    g_assert_true(g_file_set_contents(s_file, text, -1, NULL));
    ArRunArgs a = { .file = s_file, .seed = 1, .node = "ergw/0" };
    TestRun c = test_cmd_run(&a);
    g_assert_cmpint(c.status, ==, EXIT_OK);
    g_assert_nonnull(strstr(c.out, "10.0.0.0/8 "));
    g_assert_nonnull(strstr(c.out, "12076-4200000001-65003\n"));
    g_assert_nonnull(strstr(c.out, "12076-4200000001-64512-64513\n"));
    g_assert_nonnull(strstr(c.out, "12076-4200000001-4200000002-"));
    test_run_clear(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mrt/handmade", test_handmade);
    g_test_add_func("/mrt/truncated", test_truncated);
    g_test_add_func("/mrt/malformed", test_malformed);
    g_test_add_func("/mrt/writer-roundtrip", test_writer_roundtrip);
    g_test_add_func("/mrt/text", test_text);
    g_test_add_func("/mrt/bgp4mp", test_bgp4mp);
    g_test_add_func("/mrt/bgpdump-reads-output", test_bgpdump_reads_output);
    g_test_add_func("/mrt/generated-roundtrip", test_generated_roundtrip);
    g_test_add_func("/mrt/scenario-errors", test_scenario_errors);
    return g_test_run();
}
