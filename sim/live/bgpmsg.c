/* bgpmsg.c - BGP-4 message codec: framing, OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH. */
#include "arsim/bgpmsg.h"
#include "arsim/msgsize.h"

#include <string.h>

/* Attribute type codes (RFC 4271 5, RFC 1997, RFC 4760, RFC 6793). */
enum {
    AT_ORIGIN = 1,
    AT_AS_PATH = 2,
    AT_NEXT_HOP = 3,
    AT_MED = 4,
    AT_LOCAL_PREF = 5,
    AT_COMMUNITIES = 8,
    AT_MP_REACH = 14,
    AT_MP_UNREACH = 15,
    AT_AS4_PATH = 17,
};
#define FL_OPTIONAL 0x80u
#define FL_TRANSITIVE 0x40u
#define FL_EXTENDED 0x10u
#define AS_SEG_SET 1u
#define AS_SEG_SEQUENCE 2u
/* A 4096-byte message holds at most this many ASNs (2 octets each): bounds the decode buffers. */
#define MAX_ASNS (BM_MAX_LEN / 2u)

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
void bm_put8(GByteArray *b, uint8_t v) { g_byte_array_append(b, &v, 1); }
void bm_put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}
void bm_put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 4);
}
static void patch16(GByteArray *b, guint at, guint v)
{
    g_assert(v <= G_MAXUINT16);
    b->data[at] = (uint8_t)(v >> 8);
    b->data[at + 1] = (uint8_t)v;
}

static gboolean fail(BmError *err, uint8_t code, uint8_t sub, const char *why)
{
    *err = (BmError){ .code = code, .subcode = sub, .why = why };
    return FALSE;
}
static gboolean fail16(BmError *err, uint8_t code, uint8_t sub, uint16_t data, const char *why)
{
    fail(err, code, sub, why);
    err->data[0] = (uint8_t)(data >> 8);
    err->data[1] = (uint8_t)data;
    err->data_len = 2;
    return FALSE;
}

void bm_update_init(BmUpdate *u)
{
    *u = (BmUpdate){ .withdrawn = g_array_new(FALSE, FALSE, sizeof(ArPrefix)),
                     .nlri = g_array_new(FALSE, FALSE, sizeof(ArPrefix)) };
}

void bm_update_clear(BmUpdate *u)
{
    if (u->withdrawn)
        g_array_unref(u->withdrawn);
    if (u->nlri)
        g_array_unref(u->nlri);
    *u = (BmUpdate){ 0 };
}

/* ---- framing ---------------------------------------------------------------------------------- */

gssize bm_frame(const uint8_t *buf, size_t len, BmError *err)
{
    if (len < BM_HEADER_LEN)
        return 0;
    for (int i = 0; i < 16; i++)
        if (buf[i] != 0xff) {
            fail(err, BM_ERR_HEADER, BM_SUB_NOT_SYNC, "marker is not all ones");
            return -1;
        }
    uint16_t mlen = get16(buf + 16);
    uint8_t type = buf[18];
    if (mlen < BM_HEADER_LEN || mlen > BM_MAX_LEN) {
        fail16(err, BM_ERR_HEADER, BM_SUB_BAD_LENGTH, mlen, "message length under 19 or over 4096");
        return -1;
    }
    bool ok;
    switch (type) {
    case BM_OPEN: ok = mlen >= 29; break;
    case BM_UPDATE: ok = mlen >= 23; break;
    case BM_NOTIFICATION: ok = mlen >= 21; break;
    case BM_KEEPALIVE: ok = mlen == 19; break;
    case BM_ROUTE_REFRESH: ok = mlen == 23; break;
    default:
        fail(err, BM_ERR_HEADER, BM_SUB_BAD_TYPE, "unknown message type");
        err->data[0] = type;
        err->data_len = 1;
        return -1;
    }
    if (!ok) {
        fail16(err, BM_ERR_HEADER, BM_SUB_BAD_LENGTH, mlen, "message length wrong for its type");
        return -1;
    }
    return len < mlen ? 0 : (gssize)mlen;
}

/* ---- OPEN ------------------------------------------------------------------------------------- */

/* The capabilities of one Capabilities optional parameter (RFC 5492). */
static gboolean parse_caps(const uint8_t *p, size_t n, BmOpen *o, uint32_t *as4, bool *any_mp, BmError *err)
{
    while (n > 0) {
        if (n < 2 || (size_t)p[1] + 2 > n)
            return fail(err, BM_ERR_OPEN, BM_SUB_UNSPECIFIC, "capability overruns its parameter");
        uint8_t code = p[0], clen = p[1];
        const uint8_t *v = p + 2;
        if (code == 1) { /* multiprotocol (RFC 4760) */
            if (clen != 4)
                return fail(err, BM_ERR_OPEN, BM_SUB_UNSPECIFIC, "multiprotocol capability is not 4 bytes");
            *any_mp = true;
            if (get16(v) == 1 && v[3] == 1)
                o->ipv4_unicast = true;
        } else if (code == 2) { /* route refresh (RFC 2918) */
            o->route_refresh = true;
        } else if (code == 65) { /* 4-octet AS (RFC 6793) */
            if (clen != 4)
                return fail(err, BM_ERR_OPEN, BM_SUB_UNSPECIFIC, "4-octet AS capability is not 4 bytes");
            o->as4 = true;
            *as4 = get32(v);
        } /* others: not used, ignored (RFC 5492 3) */
        p += 2 + clen;
        n -= 2 + (size_t)clen;
    }
    return TRUE;
}

gboolean bm_parse_open(const uint8_t *msg, size_t len, BmOpen *o, BmError *err)
{
    g_assert(len >= 29 && msg[18] == BM_OPEN);
    *o = (BmOpen){ .version = msg[19], .asn = get16(msg + 20), .hold_time = get16(msg + 22), .bgp_id = get32(msg + 24) };
    if (o->version != 4)
        return fail16(err, BM_ERR_OPEN, BM_SUB_VERSION, 4, "BGP version is not 4");
    size_t optlen = msg[28];
    if (29 + optlen != len)
        return fail(err, BM_ERR_OPEN, BM_SUB_UNSPECIFIC, "optional parameters length disagrees with the message length");
    const uint8_t *p = msg + 29;
    size_t n = optlen;
    uint32_t as4 = 0;
    bool any_mp = false;
    while (n > 0) {
        if (n < 2 || (size_t)p[1] + 2 > n)
            return fail(err, BM_ERR_OPEN, BM_SUB_UNSPECIFIC, "optional parameter overruns the parameters");
        if (p[0] != 2)
            return fail(err, BM_ERR_OPEN, BM_SUB_OPT_PARAM, "optional parameter is not Capabilities");
        if (!parse_caps(p + 2, p[1], o, &as4, &any_mp, err))
            return FALSE;
        n -= 2 + (size_t)p[1];
        p += 2 + p[1];
    }
    if (o->hold_time == 1 || o->hold_time == 2)
        return fail(err, BM_ERR_OPEN, BM_SUB_HOLD_TIME, "hold time of 1 or 2 seconds");
    if (o->bgp_id == 0)
        return fail(err, BM_ERR_OPEN, BM_SUB_BAD_ID, "BGP identifier 0");
    if (o->as4)
        o->asn = as4;
    if (!any_mp)
        o->ipv4_unicast = true; /* no multiprotocol capability: IPv4 unicast implied (RFC 4760 8) */
    return TRUE;
}

/* ---- UPDATE ----------------------------------------------------------------------------------- */

/* Prefixes of a Withdrawn Routes or NLRI field (RFC 4271 4.3); host bits are cleared. */
static gboolean parse_prefixes(const uint8_t *p, size_t n, GArray *out)
{
    while (n > 0) {
        uint8_t plen = p[0];
        size_t nb = (plen + 7u) / 8u;
        if (plen > 32 || 1 + nb > n)
            return FALSE;
        uint32_t addr = 0;
        for (size_t k = 0; k < nb; k++)
            addr |= (uint32_t)p[1 + k] << (24 - 8 * k);
        ArPrefix pf = { addr & pfx_mask(plen), plen };
        g_array_append_val(out, pf);
        p += 1 + nb;
        n -= 1 + nb;
    }
    return TRUE;
}

/* An AS_PATH or AS4_PATH value into asns (w: 2 or 4 octets per ASN). AS_SET members are kept in
 * their order (the model has sequences only). FALSE when malformed (RFC 7606 7.2: a segment of
 * length 0, an unknown or confederation type, or one overrunning the attribute). */
static gboolean parse_path(const uint8_t *p, size_t n, unsigned w, uint32_t *asns, uint32_t *count)
{
    *count = 0;
    while (n > 0) {
        if (n < 2 || (p[0] != AS_SEG_SET && p[0] != AS_SEG_SEQUENCE) || p[1] == 0 || 2 + (size_t)p[1] * w > n)
            return FALSE;
        for (unsigned k = 0; k < p[1]; k++) {
            g_assert(*count < MAX_ASNS);
            asns[(*count)++] = w == 4 ? get32(p + 2 + 4 * k) : get16(p + 2 + 2 * k);
        }
        n -= 2 + (size_t)p[1] * w;
        p += 2 + (size_t)p[1] * w;
    }
    return TRUE;
}

/* RFC 7606: marks the update treat-as-withdraw (the first fault is the one named). */
static void withdraw_all(BmUpdate *u, const char *why)
{
    if (!u->treat_as_withdraw)
        u->why = why;
    u->treat_as_withdraw = true;
}

gboolean bm_parse_update(const uint8_t *msg, size_t len, bool as4, ArAttrCache *c, BmUpdate *u, BmError *err)
{
    g_assert(len >= 23 && msg[18] == BM_UPDATE && u->withdrawn && u->nlri);
    const uint8_t *body = msg + BM_HEADER_LEN;
    size_t blen = len - BM_HEADER_LEN;
    size_t wlen = get16(body);
    if (2 + wlen + 2 > blen)
        return fail(err, BM_ERR_UPDATE, BM_SUB_ATTR_LIST, "withdrawn routes length overruns the message");
    size_t alen = get16(body + 2 + wlen);
    if (4 + wlen + alen > blen)
        return fail(err, BM_ERR_UPDATE, BM_SUB_ATTR_LIST, "path attributes length overruns the message");
    /* RFC 7606 5.3: a malformed prefix field cannot be recovered from: session reset. */
    if (!parse_prefixes(body + 2, wlen, u->withdrawn))
        return fail(err, BM_ERR_UPDATE, BM_SUB_NETWORK, "malformed withdrawn routes");
    if (!parse_prefixes(body + 4 + wlen + alen, blen - 4 - wlen - alen, u->nlri))
        return fail(err, BM_ERR_UPDATE, BM_SUB_NETWORK, "malformed NLRI");

    uint32_t path[MAX_ASNS], path4[MAX_ASNS], comms[BM_MAX_LEN / 4];
    uint32_t npath = 0, npath4 = 0, ncomms = 0;
    bool have_path4 = false;
    ArAttrs cand = { .local_pref = AR_LOCAL_PREF_DEFAULT };
    uint8_t seen[32] = { 0 }; /* attribute types met so far, a bit each */
    const uint8_t *p = body + 4 + wlen;
    size_t n = alen;
    while (n > 0) {
        size_t hl = n >= 1 && (p[0] & FL_EXTENDED) ? 4 : 3;
        if (n < hl) {
            withdraw_all(u, "truncated attribute header"); /* RFC 7606 4 */
            break;
        }
        uint8_t flags = p[0], type = p[1];
        size_t vlen = hl == 4 ? get16(p + 2) : p[2];
        if (hl + vlen > n) {
            withdraw_all(u, "attribute overruns the path attributes"); /* RFC 7606 4 */
            break;
        }
        const uint8_t *v = p + hl;
        p += hl + vlen;
        n -= hl + vlen;
        bool dup = seen[type / 8] & (1u << (type % 8));
        seen[type / 8] |= (uint8_t)(1u << (type % 8));
        if (dup) {
            if (type == AT_MP_REACH || type == AT_MP_UNREACH)
                return fail(err, BM_ERR_UPDATE, BM_SUB_ATTR_LIST, "repeated MP_REACH or MP_UNREACH"); /* RFC 7606 3 (g) */
            continue; /* RFC 7606 3 (g): all but the first are discarded */
        }
        bool wk = (flags & (FL_OPTIONAL | FL_TRANSITIVE)) == FL_TRANSITIVE;   /* well-known */
        bool opt_nt = (flags & (FL_OPTIONAL | FL_TRANSITIVE)) == FL_OPTIONAL; /* optional non-transitive */
        bool opt_t = (flags & (FL_OPTIONAL | FL_TRANSITIVE)) == (FL_OPTIONAL | FL_TRANSITIVE);
        switch (type) {
        case AT_ORIGIN:
            if (!wk || vlen != 1 || v[0] > ORIGIN_INCOMPLETE)
                withdraw_all(u, "malformed ORIGIN"); /* RFC 7606 7.1 */
            else
                cand.origin = v[0];
            break;
        case AT_AS_PATH:
            if (!wk || !parse_path(v, vlen, as4 ? 4 : 2, path, &npath))
                withdraw_all(u, "malformed AS_PATH"); /* RFC 7606 7.2 */
            break;
        case AT_NEXT_HOP:
            if (!wk || vlen != 4)
                withdraw_all(u, "malformed NEXT_HOP"); /* RFC 7606 7.3 */
            else if ((cand.next_hop = get32(v)) == 0 || cand.next_hop >= 0xE0000000u)
                withdraw_all(u, "NEXT_HOP is 0.0.0.0 or a multicast or reserved address"); /* RFC 4271 6.3 */
            break;
        case AT_MED:
            if (!opt_nt || vlen != 4)
                withdraw_all(u, "malformed MULTI_EXIT_DISC"); /* RFC 7606 7.4 */
            else
                cand.med = get32(v);
            break;
        case AT_COMMUNITIES:
            if (!opt_t || vlen == 0 || vlen % 4 != 0)
                withdraw_all(u, "malformed COMMUNITIES"); /* RFC 7606 7.8 */
            else
                for (size_t k = 0; k < vlen / 4; k++)
                    comms[ncomms++] = get32(v + 4 * k);
            break;
        case AT_AS4_PATH:
            /* RFC 6793 4.2.3: used only from a 2-octet speaker; malformed: attribute discard. */
            if (!as4 && opt_t && parse_path(v, vlen, 4, path4, &npath4))
                have_path4 = true;
            break;
        case AT_LOCAL_PREF: /* from an external peer: ignored (RFC 4271 5.1.5, RFC 7606 7.5) */
        case 6:             /* ATOMIC_AGGREGATE */
        case 7:             /* AGGREGATOR */
        case AT_MP_REACH:   /* other address families: none negotiated, ignored */
        case AT_MP_UNREACH:
            break;
        default:
            if (!(flags & FL_OPTIONAL)) {
                fail(err, BM_ERR_UPDATE, BM_SUB_WELL_KNOWN, "unrecognized well-known attribute");
                err->data_len = (uint8_t)MIN(hl + vlen, sizeof err->data);
                memcpy(err->data, v - hl, err->data_len);
                return FALSE;
            }
            break; /* unknown optional: not passed on (a route server's policy) */
        }
    }
    if (u->nlri->len == 0) /* RFC 7606 5.2: attributes without NLRI carry nothing to withdraw */
        return TRUE;
    if (!u->treat_as_withdraw) {
        uint8_t need = (1u << AT_ORIGIN) | (1u << AT_AS_PATH) | (1u << AT_NEXT_HOP);
        if ((seen[0] & need) != need)
            withdraw_all(u, "missing ORIGIN, AS_PATH or NEXT_HOP"); /* RFC 7606 3 (d) */
    }
    if (u->treat_as_withdraw)
        return TRUE;
    if (have_path4 && npath >= npath4) {
        /* RFC 6793 4.2.3: the leading AS_PATH ASNs the AS4_PATH does not cover, then the AS4_PATH. */
        memcpy(path + (npath - npath4), path4, npath4 * sizeof path[0]);
    }
    cand.path = attr_path(c, path, npath);
    cand.comms = attr_comms(c, comms, ncomms);
    u->attrs = attr_intern(c, &cand);
    return TRUE;
}

gboolean bm_parse_notification(const uint8_t *msg, size_t len, BmError *err)
{
    g_assert(len >= 21 && msg[18] == BM_NOTIFICATION);
    *err = (BmError){ .code = msg[19], .subcode = msg[20], .why = bm_error_name(msg[19], msg[20]) };
    err->data_len = (uint8_t)MIN(len - 21, sizeof err->data);
    memcpy(err->data, msg + 21, err->data_len);
    return TRUE;
}

/* ---- encoding --------------------------------------------------------------------------------- */

/* Marker and type, with a length patched by end_msg; returns where the message starts. */
static guint begin_msg(GByteArray *b, BmType type)
{
    guint start = b->len;
    static const uint8_t marker[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    g_byte_array_append(b, marker, 16);
    bm_put16(b, 0);
    bm_put8(b, (uint8_t)type);
    return start;
}
static void end_msg(GByteArray *b, guint start)
{
    g_assert(b->len - start <= BM_MAX_LEN);
    patch16(b, start + 16, b->len - start);
}

void bm_put_open(GByteArray *b, const BmOpen *o)
{
    guint start = begin_msg(b, BM_OPEN);
    bm_put8(b, 4);
    bm_put16(b, o->asn > G_MAXUINT16 ? BM_AS_TRANS : (uint16_t)o->asn); /* RFC 6793 4.1 */
    bm_put16(b, o->hold_time);
    bm_put32(b, o->bgp_id);
    guint optlen_at = b->len;
    bm_put8(b, 0);
    bm_put8(b, 2); /* one Capabilities parameter (RFC 5492) */
    guint caplen_at = b->len;
    bm_put8(b, 0);
    if (o->ipv4_unicast) {
        static const uint8_t mp[] = { 1, 4, 0, 1, 0, 1 }; /* AFI 1 IPv4, SAFI 1 unicast */
        g_byte_array_append(b, mp, sizeof mp);
    }
    if (o->route_refresh) {
        bm_put8(b, 2);
        bm_put8(b, 0);
    }
    if (o->as4) {
        bm_put8(b, 65);
        bm_put8(b, 4);
        bm_put32(b, o->asn);
    }
    b->data[caplen_at] = (uint8_t)(b->len - caplen_at - 1);
    b->data[optlen_at] = (uint8_t)(b->len - optlen_at - 1);
    end_msg(b, start);
}

void bm_put_keepalive(GByteArray *b) { end_msg(b, begin_msg(b, BM_KEEPALIVE)); }

void bm_put_notification(GByteArray *b, const BmError *e)
{
    guint start = begin_msg(b, BM_NOTIFICATION);
    bm_put8(b, e->code);
    bm_put8(b, e->subcode);
    g_byte_array_append(b, e->data, MIN(e->data_len, sizeof e->data));
    end_msg(b, start);
}

void bm_put_route_refresh(GByteArray *b)
{
    guint start = begin_msg(b, BM_ROUTE_REFRESH);
    static const uint8_t v4[] = { 0, 1, 0, 1 }; /* AFI 1, reserved, SAFI 1 */
    g_byte_array_append(b, v4, sizeof v4);
    end_msg(b, start);
}

/* Attribute header; the extended-length form when the value needs it. */
static void put_attr_header(GByteArray *b, uint8_t flags, uint8_t type, size_t len)
{
    g_assert(len <= G_MAXUINT16);
    if (len > 255) {
        bm_put8(b, flags | FL_EXTENDED);
        bm_put8(b, type);
        bm_put16(b, (uint16_t)len);
    } else {
        bm_put8(b, flags);
        bm_put8(b, type);
        bm_put8(b, (uint8_t)len);
    }
}

/* An AS path as AS_SEQUENCE segments of at most 255 ASNs, w octets each (2: AS_TRANS for the
 * ASNs over 65535). */
static void put_path(GByteArray *b, uint8_t flags, uint8_t type, const ArAsPath *path, unsigned w)
{
    uint32_t np = path->len, segs = (np + 254) / 255;
    put_attr_header(b, flags, type, (size_t)segs * 2 + (size_t)np * w);
    for (uint32_t s = 0; s < segs; s++) {
        uint32_t n = MIN(255u, np - s * 255);
        bm_put8(b, AS_SEG_SEQUENCE);
        bm_put8(b, (uint8_t)n);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t asn = path->asns[s * 255 + k];
            if (w == 4)
                bm_put32(b, asn);
            else
                bm_put16(b, asn > G_MAXUINT16 ? BM_AS_TRANS : (uint16_t)asn);
        }
    }
}

void bm_put_attrs(GByteArray *b, const ArAttrs *a, bool as4, bool local_pref)
{
    guint start = b->len;
    put_attr_header(b, FL_TRANSITIVE, AT_ORIGIN, 1);
    bm_put8(b, a->origin);
    put_path(b, FL_TRANSITIVE, AT_AS_PATH, a->path, as4 ? 4 : 2);
    put_attr_header(b, FL_TRANSITIVE, AT_NEXT_HOP, 4);
    bm_put32(b, a->next_hop);
    if (a->med) {
        put_attr_header(b, FL_OPTIONAL, AT_MED, 4);
        bm_put32(b, a->med);
    }
    if (local_pref) {
        put_attr_header(b, FL_TRANSITIVE, AT_LOCAL_PREF, 4);
        bm_put32(b, a->local_pref);
    }
    if (a->comms->len) {
        put_attr_header(b, FL_OPTIONAL | FL_TRANSITIVE, AT_COMMUNITIES, (size_t)a->comms->len * 4);
        for (uint32_t k = 0; k < a->comms->len; k++)
            bm_put32(b, a->comms->vals[k]);
    }
    if (!as4) {
        bool wide = false;
        for (uint32_t k = 0; k < a->path->len && !wide; k++)
            wide = a->path->asns[k] > G_MAXUINT16;
        if (wide) /* RFC 6793 4.2.2: the true path for the 4-octet speakers downstream */
            put_path(b, FL_OPTIONAL | FL_TRANSITIVE, AT_AS4_PATH, a->path, 4);
    }
    g_assert(b->len - start == msgsize_attrs(a, as4, local_pref)); /* the engine splits by the same sizes */
}

/* Appends prefixes from p while the message (started at start) stays within BM_MAX_LEN with
 * reserve bytes still to come; returns how many. */
static guint put_prefixes(GByteArray *b, guint start, guint reserve, const ArPrefix *p, guint n)
{
    guint i = 0;
    for (; i < n; i++) {
        guint nb = (p[i].len + 7u) / 8u;
        if (b->len - start + msgsize_prefix(p[i].len) + reserve > BM_MAX_LEN)
            break;
        bm_put8(b, p[i].len);
        for (guint k = 0; k < nb; k++)
            bm_put8(b, (uint8_t)(p[i].addr >> (24 - 8 * k)));
    }
    return i;
}

guint bm_put_update(GByteArray *b, const ArAttrs *a, bool as4, const ArPrefix *nlri, guint n)
{
    guint start = begin_msg(b, BM_UPDATE);
    bm_put16(b, 0); /* no withdrawn routes */
    guint alen_at = b->len;
    bm_put16(b, 0);
    if (n == 0 || msgsize_room(msgsize_attrs(a, as4, false)) < msgsize_prefix(nlri[0].len)) {
        g_byte_array_set_size(b, start); /* could not fit: nothing appended */
        return 0;
    }
    bm_put_attrs(b, a, as4, false);
    patch16(b, alen_at, b->len - alen_at - 2);
    guint done = put_prefixes(b, start, 0, nlri, n);
    g_assert(done > 0);
    end_msg(b, start);
    return done;
}

guint bm_put_withdraw(GByteArray *b, const ArPrefix *w, guint n)
{
    g_assert(n > 0);
    guint start = begin_msg(b, BM_UPDATE);
    guint wlen_at = b->len;
    bm_put16(b, 0);
    guint done = put_prefixes(b, start, 2, w, n);
    patch16(b, wlen_at, b->len - wlen_at - 2);
    bm_put16(b, 0); /* no path attributes */
    end_msg(b, start);
    return done;
}

/* ---- names ------------------------------------------------------------------------------------ */

const char *bm_error_name(uint8_t code, uint8_t subcode)
{
    static const struct {
        uint8_t code, sub;
        const char *name;
    } names[] = {
        { 1, 1, "Message Header Error / Connection Not Synchronized" },
        { 1, 2, "Message Header Error / Bad Message Length" },
        { 1, 3, "Message Header Error / Bad Message Type" },
        { 2, 0, "OPEN Message Error" },
        { 2, 1, "OPEN Message Error / Unsupported Version Number" },
        { 2, 2, "OPEN Message Error / Bad Peer AS" },
        { 2, 3, "OPEN Message Error / Bad BGP Identifier" },
        { 2, 4, "OPEN Message Error / Unsupported Optional Parameter" },
        { 2, 6, "OPEN Message Error / Unacceptable Hold Time" },
        { 2, 7, "OPEN Message Error / Unsupported Capability" },
        { 3, 1, "UPDATE Message Error / Malformed Attribute List" },
        { 3, 2, "UPDATE Message Error / Unrecognized Well-known Attribute" },
        { 3, 3, "UPDATE Message Error / Missing Well-known Attribute" },
        { 3, 4, "UPDATE Message Error / Attribute Flags Error" },
        { 3, 5, "UPDATE Message Error / Attribute Length Error" },
        { 3, 6, "UPDATE Message Error / Invalid ORIGIN Attribute" },
        { 3, 8, "UPDATE Message Error / Invalid NEXT_HOP Attribute" },
        { 3, 9, "UPDATE Message Error / Optional Attribute Error" },
        { 3, 10, "UPDATE Message Error / Invalid Network Field" },
        { 3, 11, "UPDATE Message Error / Malformed AS_PATH" },
        { 4, 0, "Hold Timer Expired" },
        { 5, 0, "Finite State Machine Error" },
        { 6, 1, "Cease / Maximum Number of Prefixes Reached" },
        { 6, 2, "Cease / Administrative Shutdown" },
        { 6, 3, "Cease / Peer De-configured" },
        { 6, 4, "Cease / Administrative Reset" },
        { 6, 5, "Cease / Connection Rejected" },
        { 6, 6, "Cease / Other Configuration Change" },
        { 6, 7, "Cease / Connection Collision Resolution" },
        { 6, 8, "Cease / Out of Resources" },
        { 6, 9, "Cease / Hard Reset" },
    };
    static const char *codes[] = { "Unknown error", "Message Header Error", "OPEN Message Error",
                                   "UPDATE Message Error", "Hold Timer Expired", "Finite State Machine Error",
                                   "Cease" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].code == code && names[i].sub == subcode)
            return names[i].name;
    return codes[code < G_N_ELEMENTS(codes) ? code : 0];
}
