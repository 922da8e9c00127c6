/* mrt.c - writes speakers' Loc-RIBs as MRT TABLE_DUMP_V2 files (RFC 6396), one file per node. */
#include "arsim/bgpmsg.h"
#include "arsim/mrt.h"
#include "arsim/output.h"
#include "arsim/rows.h"

#include <errno.h>
#include <string.h>

/* Overwrites the 4 bytes at at (a length written before its value was known). */
static void patch32(GByteArray *b, guint at, uint32_t v)
{
    b->data[at] = (uint8_t)(v >> 24);
    b->data[at + 1] = (uint8_t)(v >> 16);
    b->data[at + 2] = (uint8_t)(v >> 8);
    b->data[at + 3] = (uint8_t)v;
}

/* MRT common header with a length to patch; returns where the body starts. */
static guint put_header(GByteArray *b, uint32_t time, uint16_t type, uint16_t sub)
{
    bm_put32(b, time);
    bm_put16(b, type);
    bm_put16(b, sub);
    bm_put32(b, 0);
    return b->len;
}

static void end_record(GByteArray *b, guint body)
{
    patch32(b, body - 4, b->len - body);
}

void mrt_put_peer_index(GByteArray *b, uint32_t time, uint32_t collector_id, const char *view,
                        const ArMrtPeer *peers, guint n)
{
    g_assert(n <= G_MAXUINT16);
    guint body = put_header(b, time, MRT_TABLE_DUMP_V2, MRT_PEER_INDEX_TABLE);
    size_t vl = MIN(strlen(view), G_MAXUINT16);
    bm_put32(b, collector_id);
    bm_put16(b, (uint16_t)vl);
    g_byte_array_append(b, (const guint8 *)view, (guint)vl);
    bm_put16(b, (uint16_t)n);
    for (guint i = 0; i < n; i++) {
        bm_put8(b, 0x02); /* IPv4 address, 4-byte AS */
        bm_put32(b, peers[i].bgp_id);
        bm_put32(b, peers[i].ip);
        bm_put32(b, peers[i].asn);
    }
    end_record(b, body);
}

void mrt_put_rib_ipv4(GByteArray *b, uint32_t time, uint32_t seq, ArPrefix p, uint16_t peer, const ArAttrs *a)
{
    guint body = put_header(b, time, MRT_TABLE_DUMP_V2, MRT_RIB_IPV4_UNICAST);
    bm_put32(b, seq);
    bm_put8(b, p.len);
    for (unsigned k = 0; k < (p.len + 7u) / 8u; k++)
        bm_put8(b, (uint8_t)(p.addr >> (24 - 8 * k)));
    bm_put16(b, 1); /* one entry: the Loc-RIB's best path */
    bm_put16(b, peer);
    bm_put32(b, time);
    guint alen_at = b->len;
    bm_put16(b, 0);
    guint attrs = b->len;
    bm_put_attrs(b, a, true, true); /* the UPDATE's encoding, 4-octet ASNs, with LOCAL_PREF */
    guint alen = b->len - attrs;
    g_assert(alen <= G_MAXUINT16);
    b->data[alen_at] = (uint8_t)(alen >> 8);
    b->data[alen_at + 1] = (uint8_t)alen;
    end_record(b, body);
}

GByteArray *out_mrt_node(const ArSpeaker *sp)
{
    GByteArray *b = g_byte_array_new();
    /* Peers as the speaker sees them; the last entry is the speaker itself, for its own routes. */
    guint np = sp->peers->len;
    g_autofree ArMrtPeer *peers = g_new(ArMrtPeer, np + 1);
    for (guint i = 0; i < np; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        const ArPeer *mirror = bgp_peer(p->remote, p->remote_index);
        peers[i] = (ArMrtPeer){ p->remote->ip, mirror->local_ip, p->remote->asn };
    }
    peers[np] = (ArMrtPeer){ sp->ip, sp->ip, sp->asn };
    mrt_put_peer_index(b, 0, sp->ip, sp->name, peers, np + 1);
    g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
    uint32_t seq = 0;
    for (guint i = 0; i < keys->len; i++) {
        uint64_t key = g_array_index(keys, uint64_t, i);
        const ArRoute *best = rib_best(rib_find(&sp->rib, key));
        if (best)
            mrt_put_rib_ipv4(b, 0, seq++, pfx_from_key(key), best->peer == PEER_LOCAL ? (uint16_t)np : best->peer,
                             rt_attrs(best));
    }
    return b;
}

gboolean out_mrt_dir(const ArRun *run, const char *dir, const char *node, const ArFileArg *inputs, guint n_inputs,
                     GError **error)
{
    const ArSim *sim = run->net->sim;
    if (!*dir) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "the folder given to --mrt-out is empty");
        return FALSE;
    }
    g_autoptr(GPtrArray) keep = rows_node_speakers(run, node);
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (!rows_keeps_speaker(keep, sp))
            continue;
        /* Generated names hold '/' (ars/0, msee/site): a folder, which no scenario name can be. */
        g_autofree char *path = g_strdup_printf("%s/%s.mrt", dir, sp->name);
        g_autofree char *parent = g_path_get_dirname(path);
        if (g_mkdir_with_parents(parent, 0777) != 0) {
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "cannot create folder %s: %s", parent, g_strerror(errno));
            return FALSE;
        }
        const ArFileArg me = { "--mrt-out", path };
        if (!out_check_files(inputs, n_inputs, &me, 1, error))
            return FALSE;
        g_autoptr(GByteArray) b = out_mrt_node(sp);
        if (!out_write_file(path, (const char *)b->data, b->len, NULL, error))
            return FALSE;
    }
    return TRUE;
}
