/* test_bgpmsg.c - the live mode's BGP-4 codec against byte vectors written out by hand from the RFCs. */
#include "arsim/bgpmsg.h"

#include <string.h>

#define MARKER "ffffffffffffffffffffffffffffffff"

/* Bytes from hex text; spaces are ignored. */
static GByteArray *hex(const char *text)
{
    GByteArray *b = g_byte_array_new();
    for (const char *p = text; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        g_assert_true(g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1]));
        uint8_t v = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
        g_byte_array_append(b, &v, 1);
        p += 2;
    }
    return b;
}

/* Lower-case hex of b, no spaces. g_free it. */
static char *tohex(const GByteArray *b)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < b->len; i++)
        g_string_append_printf(s, "%02x", b->data[i]);
    return g_string_free(s, FALSE);
}

static void assert_bytes(const GByteArray *b, const char *want)
{
    g_autoptr(GByteArray) w = hex(want);
    g_autofree char *got = tohex(b), *exp = tohex(w);
    g_assert_cmpstr(got, ==, exp);
}

/* The whole message framed: bm_frame must say it is complete. */
static void assert_frame(const GByteArray *b)
{
    BmError e;
    g_assert_cmpint(bm_frame(b->data, b->len, &e), ==, (gssize)b->len);
}

static void test_keepalive_notification(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    bm_put_keepalive(b);
    assert_bytes(b, MARKER "0013 04");
    g_byte_array_set_size(b, 0);
    BmError cease = { .code = BM_ERR_CEASE, .subcode = BM_SUB_SHUTDOWN };
    bm_put_notification(b, &cease);
    assert_bytes(b, MARKER "0015 03 06 02");
    BmError got;
    g_assert_true(bm_parse_notification(b->data, b->len, &got));
    g_assert_cmpuint(got.code, ==, 6);
    g_assert_cmpuint(got.subcode, ==, 2);
    g_assert_cmpstr(got.why, ==, "Cease / Administrative Shutdown");
    g_byte_array_set_size(b, 0);
    bm_put_route_refresh(b);
    assert_bytes(b, MARKER "0017 05 0001 00 01");
    assert_frame(b);
}

static void test_open_roundtrip(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    BmOpen o = { .asn = 65515, .hold_time = 90, .bgp_id = 0x0A010004u, .as4 = true, .route_refresh = true,
                 .ipv4_unicast = true };
    bm_put_open(b, &o);
    /* version 4, AS 65515 (ffeb), hold 90 (005a), id 10.1.0.4, 16 bytes of parameters: one
     * Capabilities parameter of 14: MP IPv4 unicast, route refresh, 4-octet AS 65515. */
    assert_bytes(b, MARKER "002d 01 04 ffeb 005a 0a010004 10 02 0e 01040001 0001 0200 4104 0000ffeb");
    assert_frame(b);
    BmOpen p;
    BmError e;
    g_assert_true(bm_parse_open(b->data, b->len, &p, &e));
    g_assert_cmpuint(p.asn, ==, 65515);
    g_assert_cmpuint(p.hold_time, ==, 90);
    g_assert_cmphex(p.bgp_id, ==, 0x0A010004u);
    g_assert_true(p.as4 && p.route_refresh && p.ipv4_unicast);

    /* A 4-octet AS: My AS is AS_TRANS (23456 = 5ba0), the capability carries the real one. */
    g_byte_array_set_size(b, 0);
    o = (BmOpen){ .asn = 4200000001u, .hold_time = 0, .bgp_id = 1, .as4 = true };
    bm_put_open(b, &o);
    assert_bytes(b, MARKER "0025 01 04 5ba0 0000 00000001 08 02 06 4104 fa56ea01");
    g_assert_true(bm_parse_open(b->data, b->len, &p, &e));
    g_assert_cmpuint(p.asn, ==, 4200000001u);
    g_assert_true(p.ipv4_unicast); /* no multiprotocol capability: IPv4 unicast implied */
    g_assert_false(p.route_refresh);
}

/* An OPEN as BIRD 2 sends it: capabilities this codec does not use are skipped. */
static void test_open_bird(void)
{
    g_autoptr(GByteArray) b =
        hex(MARKER "0041 01 04 fdea 00f0 7f000002 24"
                   "02 22 01040001 0001 0200 0600 4002 0078 4104 0000fdea 4600 4700 4906 0462697264 00");
    /* Hand-corrected total length: */
    b->data[17] = (uint8_t)b->len;
    b->data[28] = (uint8_t)(b->len - 29);
    b->data[30] = (uint8_t)(b->len - 31);
    BmOpen p;
    BmError e;
    g_assert_true(bm_parse_open(b->data, b->len, &p, &e));
    g_assert_cmpuint(p.asn, ==, 65002);
    g_assert_cmpuint(p.hold_time, ==, 240);
    g_assert_true(p.as4 && p.route_refresh && p.ipv4_unicast);
}

/* Each bad OPEN gets its RFC 4271 6.2 code and subcode. */
static void test_open_errors(void)
{
    static const struct {
        const char *msg;
        uint8_t sub;
        const char *data;
    } cases[] = {
        { MARKER "001d 01 03 fdea 005a 01020304 00", BM_SUB_VERSION, "0004" },
        { MARKER "001d 01 04 fdea 0002 01020304 00", BM_SUB_HOLD_TIME, "" },
        { MARKER "001d 01 04 fdea 005a 00000000 00", BM_SUB_BAD_ID, "" },
        { MARKER "0021 01 04 fdea 005a 01020304 04 01 02 0000", BM_SUB_OPT_PARAM, "" },
        { MARKER "0021 01 04 fdea 005a 01020304 05 02 02 0200", BM_SUB_UNSPECIFIC, "" },
        { MARKER "0021 01 04 fdea 005a 01020304 04 02 02 4104", BM_SUB_UNSPECIFIC, "" },
        { MARKER "0021 01 04 fdea 005a 01020304 04 02 03 0200", BM_SUB_UNSPECIFIC, "" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GByteArray) b = hex(cases[i].msg);
        b->data[17] = (uint8_t)b->len;
        BmOpen p;
        BmError e = { 0 };
        g_test_message("case %zu", i);
        g_assert_false(bm_parse_open(b->data, b->len, &p, &e));
        g_assert_cmpuint(e.code, ==, BM_ERR_OPEN);
        g_assert_cmpuint(e.subcode, ==, cases[i].sub);
        g_autoptr(GByteArray) want = hex(cases[i].data);
        g_assert_cmpmem(e.data, e.data_len, want->data, want->len);
    }
}

static void test_frame(void)
{
    BmError e;
    g_autoptr(GByteArray) ka = hex(MARKER "0013 04");
    for (size_t n = 0; n < ka->len; n++)
        g_assert_cmpint(bm_frame(ka->data, n, &e), ==, 0); /* wait for more */
    static const struct {
        const char *msg;
        uint8_t sub;
        const char *data;
    } bad[] = {
        { "ffffffffffffffffffffffffffff00ff 0013 04", BM_SUB_NOT_SYNC, "" },
        { MARKER "0012 04", BM_SUB_BAD_LENGTH, "0012" },
        { MARKER "1001 02", BM_SUB_BAD_LENGTH, "1001" },
        { MARKER "0014 04", BM_SUB_BAD_LENGTH, "0014" },
        { MARKER "001c 01", BM_SUB_BAD_LENGTH, "001c" },
        { MARKER "0016 02", BM_SUB_BAD_LENGTH, "0016" },
        { MARKER "0013 09", BM_SUB_BAD_TYPE, "09" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GByteArray) b = hex(bad[i].msg);
        e = (BmError){ 0 };
        g_assert_cmpint(bm_frame(b->data, b->len, &e), ==, -1);
        g_assert_cmpuint(e.code, ==, BM_ERR_HEADER);
        g_assert_cmpuint(e.subcode, ==, bad[i].sub);
        g_autoptr(GByteArray) want = hex(bad[i].data);
        g_assert_cmpmem(e.data, e.data_len, want->data, want->len);
    }
    /* 4096 is allowed; only the header is needed to know. */
    g_autoptr(GByteArray) big = hex(MARKER "1000 02");
    g_assert_cmpint(bm_frame(big->data, big->len, &e), ==, 0);
}

/* Parses an UPDATE given in hex (the length is filled in). */
static gboolean parse_hex(const char *body, bool as4, ArAttrCache *c, BmUpdate *u, BmError *e)
{
    g_autoptr(GByteArray) b = hex(body);
    b->data[16] = (uint8_t)(b->len >> 8);
    b->data[17] = (uint8_t)b->len;
    BmError fe;
    g_assert_cmpint(bm_frame(b->data, b->len, &fe), ==, (gssize)b->len);
    bm_update_init(u);
    return bm_parse_update(b->data, b->len, as4, c, u, e);
}

static char *pfx_str(GArray *a, guint i)
{
    static char buf[PFX_STRLEN];
    return pfx_format(g_array_index(a, ArPrefix, i), buf);
}

static void test_update_decode(void)
{
    ArAttrCache *c = attr_cache_new();
    BmUpdate u;
    BmError e;
    /* Withdraws 10.9.0.0/16; announces 10.3.0.0/16 and 192.168.0.0/24 with ORIGIN IGP, AS_PATH
     * 65020 12076 (4-octet), NEXT_HOP 10.1.1.4, MED 50, LOCAL_PREF 300 (ignored: eBGP),
     * COMMUNITIES 65517:65517 and 65000:1, and an unknown optional attribute (type 99, skipped). */
    g_assert_true(parse_hex(MARKER "0000 02 0003 100a09 0036"
                                   "40 01 01 00"
                                   "40 02 0a 02 02 0000fdfc 00002f2c"
                                   "40 03 04 0a010104"
                                   "80 04 04 00000032"
                                   "40 05 04 0000012c"
                                   "c0 08 08 ffedffed fde80001"
                                   "c0 63 02 abcd"
                                   "100a03 18c0a800",
                            true, c, &u, &e));
    g_assert_cmpuint(u.withdrawn->len, ==, 1);
    g_assert_cmpstr(pfx_str(u.withdrawn, 0), ==, "10.9.0.0/16");
    g_assert_cmpuint(u.nlri->len, ==, 2);
    g_assert_cmpstr(pfx_str(u.nlri, 0), ==, "10.3.0.0/16");
    g_assert_cmpstr(pfx_str(u.nlri, 1), ==, "192.168.0.0/24");
    g_assert_false(u.treat_as_withdraw);
    g_assert_nonnull(u.attrs);
    g_autofree char *path = attr_path_to_string(u.attrs->path);
    g_assert_cmpstr(path, ==, "65020-12076");
    g_assert_cmphex(u.attrs->next_hop, ==, 0x0A010104u);
    g_assert_cmpuint(u.attrs->med, ==, 50);
    g_assert_cmpuint(u.attrs->local_pref, ==, AR_LOCAL_PREF_DEFAULT);
    g_assert_cmpuint(u.attrs->origin, ==, ORIGIN_IGP);
    g_assert_cmpuint(u.attrs->comms->len, ==, 2);
    g_assert_true(attr_comms_has(u.attrs->comms, 0xFFEDFFEDu));
    g_assert_true(attr_comms_has(u.attrs->comms, 0xFDE80001u));
    bm_update_clear(&u);

    /* A 2-octet speaker: 4200000001 is AS_TRANS in AS_PATH and whole in AS4_PATH (RFC 6793 4.2.3). */
    g_assert_true(parse_hex(MARKER "0000 02 0000 001d"
                                   "40 01 01 02"
                                   "40 02 06 02 02 fdea 5ba0"
                                   "40 03 04 0a010104"
                                   "c0 11 06 02 01 fa56ea01"
                                   "080a",
                            false, c, &u, &e));
    g_assert_nonnull(u.attrs);
    g_autofree char *path2 = attr_path_to_string(u.attrs->path);
    g_assert_cmpstr(path2, ==, "65002-4200000001");
    g_assert_cmpuint(u.attrs->origin, ==, ORIGIN_INCOMPLETE);
    g_assert_cmpstr(pfx_str(u.nlri, 0), ==, "10.0.0.0/8");
    bm_update_clear(&u);

    /* A withdrawal only, and an End-of-RIB (empty UPDATE). */
    g_assert_true(parse_hex(MARKER "0000 02 0004 18c0a801 0000", true, c, &u, &e));
    g_assert_cmpuint(u.withdrawn->len, ==, 1);
    g_assert_cmpuint(u.nlri->len, ==, 0);
    g_assert_null(u.attrs);
    bm_update_clear(&u);
    g_assert_true(parse_hex(MARKER "0000 02 0000 0000", true, c, &u, &e));
    g_assert_cmpuint(u.withdrawn->len + u.nlri->len, ==, 0);
    bm_update_clear(&u);

    /* A repeated ORIGIN: the first is kept (RFC 7606 3 (g)). */
    g_assert_true(parse_hex(MARKER "0000 02 0000 0018 400101 00 400101 01 40020602010000fdea 400304 0a010104 080a",
                            true, c, &u, &e));
    g_assert_nonnull(u.attrs);
    g_assert_cmpuint(u.attrs->origin, ==, ORIGIN_IGP);
    bm_update_clear(&u);
    attr_cache_free(c);
}

/* RFC 7606: a malformed attribute makes the UPDATE's NLRI withdrawn, the session stays up. */
static void test_update_treat_as_withdraw(void)
{
    static const struct {
        const char *attrs;
        const char *why;
    } cases[] = {
        { "400101 03 40020602010000fdea 400304 0a010104", "malformed ORIGIN" },
        { "c00101 00 40020602010000fdea 400304 0a010104", "malformed ORIGIN" }, /* flags conflict */
        { "400101 00 40020602000000fdea 400304 0a010104", "malformed AS_PATH" }, /* segment of 0 */
        { "400101 00 40020603010000fdea 400304 0a010104", "malformed AS_PATH" }, /* confederation */
        { "400101 00 40020702010000fdea00 400304 0a010104", "malformed AS_PATH" }, /* overrun */
        { "400101 00 40020602010000fdea 400303 0a0101", "malformed NEXT_HOP" },
        { "400101 00 40020602010000fdea 400304 00000000", "NEXT_HOP is 0.0.0.0 or a multicast or reserved address" },
        { "400101 00 40020602010000fdea 400304 e0000001", "NEXT_HOP is 0.0.0.0 or a multicast or reserved address" },
        { "400101 00 40020602010000fdea 400304 0a010104 800403 000001", "malformed MULTI_EXIT_DISC" },
        { "400101 00 40020602010000fdea 400304 0a010104 c00803 ffedff", "malformed COMMUNITIES" },
        { "400101 00 40020602010000fdea", "missing ORIGIN, AS_PATH or NEXT_HOP" },
        { "400101 00 400304 0a010104", "missing ORIGIN, AS_PATH or NEXT_HOP" },
        { "400101 00 40020602010000fdea 400304 0a010104 c008", "truncated attribute header" },
        { "400101 00 40020602010000fdea 400304 0a010104 c00805 ffedffed", "attribute overruns the path attributes" },
    };
    ArAttrCache *c = attr_cache_new();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = NULL;
        g_autoptr(GByteArray) attrs = hex(cases[i].attrs);
        msg = g_strdup_printf(MARKER "0000 02 0000 %04x %s 100a03", attrs->len, cases[i].attrs);
        BmUpdate u;
        BmError e;
        g_test_message("case %zu", i);
        g_assert_true(parse_hex(msg, true, c, &u, &e));
        g_assert_true(u.treat_as_withdraw);
        g_assert_cmpstr(u.why, ==, cases[i].why);
        g_assert_null(u.attrs);
        g_assert_cmpuint(u.nlri->len, ==, 1); /* the prefixes to treat as withdrawn */
        bm_update_clear(&u);
    }
    attr_cache_free(c);
}

/* What no recovery is possible from: a NOTIFICATION with RFC 4271 6.3's code and subcode. */
static void test_update_session_reset(void)
{
    static const struct {
        const char *body;
        uint8_t sub;
        const char *data;
    } cases[] = {
        { "0010 0000", BM_SUB_ATTR_LIST, "" },                         /* withdrawn length overruns */
        { "0000 0010", BM_SUB_ATTR_LIST, "" },                         /* attributes length overruns */
        { "0002 210a 0000", BM_SUB_NETWORK, "" },                      /* withdrawn /33 */
        { "0000 0000 180a01", BM_SUB_NETWORK, "" },                    /* NLRI cut short */
        { "0000 0005 4063020102 100a03", BM_SUB_WELL_KNOWN, "4063020102" }, /* unknown well-known */
        { "0000 0006 800e00 800e00", BM_SUB_ATTR_LIST, "" },           /* MP_REACH twice */
    };
    ArAttrCache *c = attr_cache_new();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(MARKER "0000 02 %s", cases[i].body);
        BmUpdate u;
        BmError e = { 0 };
        g_test_message("case %zu", i);
        g_assert_false(parse_hex(msg, true, c, &u, &e));
        g_assert_cmpuint(e.code, ==, BM_ERR_UPDATE);
        g_assert_cmpuint(e.subcode, ==, cases[i].sub);
        g_autoptr(GByteArray) want = hex(cases[i].data);
        g_assert_cmpmem(e.data, e.data_len, want->data, want->len);
        bm_update_clear(&u);
    }
    attr_cache_free(c);
}

static const ArAttrs *make_attrs(ArAttrCache *c, const uint32_t *path, guint n, uint32_t med)
{
    static const uint32_t comms[] = { 0xFFEDFFEDu };
    ArAttrs a = { .path = attr_path(c, path, n), .comms = attr_comms(c, comms, 1), .next_hop = 0x0A010004u,
                  .local_pref = AR_LOCAL_PREF_DEFAULT, .med = med, .origin = ORIGIN_IGP };
    return attr_intern(c, &a);
}

static void test_update_encode(void)
{
    ArAttrCache *c = attr_cache_new();
    uint32_t path[] = { 65515 };
    const ArAttrs *a = make_attrs(c, path, 1, 0);
    ArPrefix nlri[] = { { 0x0A010000u, 16 }, { 0x0A020000u, 16 } };
    g_autoptr(GByteArray) b = g_byte_array_new();
    g_assert_cmpuint(bm_put_update(b, a, true, nlri, 2), ==, 2);
    assert_bytes(b, MARKER "0038 02 0000 001b 400101 00 400206 0201 0000ffeb 400304 0a010004 c00804 ffedffed"
                           "100a01 100a02");
    BmUpdate u;
    BmError e;
    bm_update_init(&u);
    g_assert_true(bm_parse_update(b->data, b->len, true, c, &u, &e));
    g_assert_true(u.attrs == a); /* interned: the same set */
    bm_update_clear(&u);

    /* To a 2-octet speaker, 4200000001 is AS_TRANS plus an AS4_PATH; it decodes back whole. */
    uint32_t wide[] = { 65515, 4200000001u };
    const ArAttrs *w = make_attrs(c, wide, 2, 7);
    g_byte_array_set_size(b, 0);
    g_assert_cmpuint(bm_put_update(b, w, false, nlri, 1), ==, 1);
    assert_bytes(b, MARKER "0049 02 0000 002f 400101 00 400206 0202 ffeb 5ba0 400304 0a010004 800404 00000007"
                           "c00804 ffedffed c0110a 0202 0000ffeb fa56ea01 100a01");
    bm_update_init(&u);
    g_assert_true(bm_parse_update(b->data, b->len, false, c, &u, &e));
    g_assert_true(u.attrs == w);
    bm_update_clear(&u);
    attr_cache_free(c);
}

/* 2,500 /24s do not fit one message: each UPDATE stays within 4,096 bytes and all arrive. */
static void test_update_split(void)
{
    ArAttrCache *c = attr_cache_new();
    uint32_t path[] = { 65515, 65020 };
    const ArAttrs *a = make_attrs(c, path, 2, 0);
    enum { N = 2500 };
    ArPrefix *p = g_new(ArPrefix, N);
    for (guint i = 0; i < N; i++)
        p[i] = (ArPrefix){ 0x0A000000u + (i << 8), 24 };
    for (int withdraw = 0; withdraw < 2; withdraw++) {
        g_autoptr(GByteArray) b = g_byte_array_new();
        guint done = 0, msgs = 0;
        while (done < N) {
            guint at = b->len;
            guint k = withdraw ? bm_put_withdraw(b, p + done, N - done) : bm_put_update(b, a, true, p + done, N - done);
            g_assert_cmpuint(k, >, 0);
            g_assert_cmpuint(b->len - at, <=, BM_MAX_LEN);
            done += k;
            msgs++;
        }
        g_assert_cmpuint(msgs, ==, 3); /* 4 bytes a prefix: about 1,010 a message */
        guint got = 0;
        for (size_t off = 0; off < b->len;) {
            BmError e;
            gssize m = bm_frame(b->data + off, b->len - off, &e);
            g_assert_cmpint(m, >, 0);
            BmUpdate u;
            bm_update_init(&u);
            g_assert_true(bm_parse_update(b->data + off, (size_t)m, true, c, &u, &e));
            GArray *list = withdraw ? u.withdrawn : u.nlri;
            for (guint i = 0; i < list->len; i++, got++)
                g_assert_cmpuint(g_array_index(list, ArPrefix, i).addr, ==, p[got].addr);
            bm_update_clear(&u);
            off += (size_t)m;
        }
        g_assert_cmpuint(got, ==, N);
    }
    g_free(p);
    attr_cache_free(c);
}

/* The engine splits batches by msgsize.c's arithmetic and the codec writes the bytes: for paths of
 * 0 to 1,100 ASNs (one and several segments, extended lengths, 4-octet ASNs needing AS4_PATH),
 * MED or not, 0 to 300 communities, LOCAL_PREF or not, 2- and 4-octet encodings, the sizes agree,
 * and an UPDATE carries exactly the prefixes msgsize_fit says (mixed /8 to /32). */
static void test_update_sizes_agree(void)
{
    ArAttrCache *c = attr_cache_new();
    ArPfxTable pfx;
    pfxtab_init(&pfx);
    enum { N = 1500 };
    ArPrefix p[N];
    uint32_t ids[N];
    for (guint i = 0; i < N; i++) {
        uint8_t len = (uint8_t)(8 + i % 25);
        p[i] = (ArPrefix){ (0x0A000000u + i * 0x1000u) & pfx_mask(len), len };
        ids[i] = pfxtab_intern(&pfx, pfx_key(p[i]));
    }
    static const guint plens[] = { 0, 1, 254, 255, 256, 300, 1100 };
    static const guint ncomms[] = { 0, 1, 63, 64, 300 };
    guint checked = 0;
    for (guint pi = 0; pi < G_N_ELEMENTS(plens); pi++)
        for (guint ci = 0; ci < G_N_ELEMENTS(ncomms); ci++)
            for (int wide = 0; wide < 2; wide++)
                for (int med = 0; med < 2; med++) {
                    g_autofree uint32_t *path = g_new0(uint32_t, plens[pi] + 1);
                    g_autofree uint32_t *comms = g_new0(uint32_t, ncomms[ci] + 1);
                    for (guint k = 0; k < plens[pi]; k++)
                        path[k] = wide && k % 7 == 3 ? 4200000000u + k : 64512u + k % 1000;
                    for (guint k = 0; k < ncomms[ci]; k++)
                        comms[k] = 0x10000u * (k + 1) + k;
                    ArAttrs cand = { .path = attr_path(c, path, plens[pi]), .comms = attr_comms(c, comms, ncomms[ci]),
                                     .next_hop = 0x0A010004u, .local_pref = 100, .med = med ? 5u : 0u };
                    const ArAttrs *a = attr_intern(c, &cand);
                    for (int as4 = 0; as4 < 2; as4++)
                        for (int lp = 0; lp < 2; lp++) {
                            g_autoptr(GByteArray) b = g_byte_array_new();
                            bm_put_attrs(b, a, as4, lp);
                            g_assert_cmpuint(b->len, ==, msgsize_attrs(a, as4, lp));
                            checked++;
                        }
                    g_autoptr(GByteArray) u = g_byte_array_new();
                    guint fit = msgsize_fit(&pfx, a, false, ids, N);
                    guint put = bm_put_update(u, a, true, p, N);
                    if (put == 0) /* attributes over 4,096 bytes: the engine still sends one a message */
                        g_assert_cmpuint(fit, ==, 1);
                    else
                        g_assert_cmpuint(fit, ==, put);
                }
    g_assert_cmpuint(checked, ==, G_N_ELEMENTS(plens) * G_N_ELEMENTS(ncomms) * 2 * 2 * 4);
    for (guint done = 0; done < N;) { /* withdrawals */
        g_autoptr(GByteArray) w = g_byte_array_new();
        guint k = bm_put_withdraw(w, p + done, N - done);
        g_assert_cmpuint(msgsize_fit(&pfx, NULL, false, ids + done, N - done), ==, k);
        done += k;
    }
    pfxtab_clear(&pfx);
    attr_cache_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bgpmsg/keepalive-notification", test_keepalive_notification);
    g_test_add_func("/bgpmsg/open-roundtrip", test_open_roundtrip);
    g_test_add_func("/bgpmsg/open-bird", test_open_bird);
    g_test_add_func("/bgpmsg/open-errors", test_open_errors);
    g_test_add_func("/bgpmsg/frame", test_frame);
    g_test_add_func("/bgpmsg/update-decode", test_update_decode);
    g_test_add_func("/bgpmsg/update-treat-as-withdraw", test_update_treat_as_withdraw);
    g_test_add_func("/bgpmsg/update-session-reset", test_update_session_reset);
    g_test_add_func("/bgpmsg/update-encode", test_update_encode);
    g_test_add_func("/bgpmsg/update-split", test_update_split);
    g_test_add_func("/bgpmsg/update-sizes-agree", test_update_sizes_agree);
    return g_test_run();
}
