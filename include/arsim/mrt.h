/* mrt.h - real routing tables in and out: MRT TABLE_DUMP_V2 (RFC 6396) and `bgpdump -m` text. */
#ifndef ARSIM_MRT_H
#define ARSIM_MRT_H

#include "arsim/attr.h"
#include "arsim/scenario.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MRT types and subtypes (RFC 6396 section 4, RFC 8050 for ADDPATH). */
#define MRT_TABLE_DUMP 12u
#define MRT_TABLE_DUMP_V2 13u
#define MRT_BGP4MP 16u
#define MRT_BGP4MP_ET 17u
#define MRT_PEER_INDEX_TABLE 1u
#define MRT_RIB_IPV4_UNICAST 2u
#define MRT_RIB_IPV4_MULTICAST 3u
#define MRT_RIB_IPV6_UNICAST 4u
#define MRT_RIB_IPV6_MULTICAST 5u
#define MRT_RIB_GENERIC 6u
#define MRT_RIB_IPV4_UNICAST_ADDPATH 8u
#define MRT_RIB_IPV6_UNICAST_ADDPATH 10u
#define MRT_RIB_IPV6_MULTICAST_ADDPATH 11u
#define MRT_BGP4MP_MESSAGE 1u
#define MRT_BGP4MP_MESSAGE_AS4 4u
#define MRT_HEADER_LEN 12u /* timestamp, type, subtype, length */

/* Which routes of a file to take (routesFrom's "peer"). Neither flag set: every prefix's first
 * route (an MRT record's first entry; in text, every line in order, the last for a prefix winning). */
typedef struct ArMrtPeerSel {
    bool by_index;   /* take the entries of peer number index of the PEER_INDEX_TABLE (MRT only) */
    bool by_ip;      /* take the entries of the peer with address ip */
    uint16_t index;  /* by_index: the peer's index */
    uint32_t ip;     /* by_ip: the peer's address, host order */
} ArMrtPeerSel;

/* ---- reading (sim/load/mrt.c) ---------------------------------------------------------------
 * The readers are safe on any bytes: every length is checked against what is left, and a bad or
 * truncated record is an error (AR_ERROR_INPUT) naming the file (t->file), the byte offset and
 * the record type (text: the line). IPv6 records are counted in t->skipped_ipv6, other types in
 * t->skipped_other. O(n) in the file's size, plus O(r log r) when its r routes are not already
 * in ascending order (a sort); each distinct attribute set is stored once (one hash lookup per
 * route whose attributes differ from the previous route's). */

/* MRT records into t: TABLE_DUMP_V2 PEER_INDEX_TABLE and RIB_IPV4_UNICAST[_ADDPATH] (each
 * prefix's first entry, or the chosen peer's), and BGP4MP[_ET] MESSAGE and MESSAGE_AS4 UPDATEs
 * (the chosen peer's, by address), applied in file order: when a file has UPDATEs, the last
 * announcement of a prefix wins and a withdrawal removes it. */
gboolean mrt_parse(const uint8_t *data, size_t len, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error);
/* The text `bgpdump -m` prints (TABLE_DUMP2 B lines, BGP4MP A and W lines) into t. */
gboolean mrt_parse_text(const char *text, size_t len, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error);
/* Reads t->file (a regular file of at most 4 GiB) and parses it as MRT or as text. */
gboolean mrt_read_file(bool text, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error);

/* ---- writing (sim/output/mrt.c) ------------------------------------------------------------- */

/* One entry of a PEER_INDEX_TABLE (IPv4 address, 4-byte AS). */
typedef struct ArMrtPeer {
    uint32_t bgp_id;  /* its BGP identifier */
    uint32_t ip;      /* its address on the session */
    uint32_t asn;     /* its AS number */
} ArMrtPeer;

/* Appends a TABLE_DUMP_V2 PEER_INDEX_TABLE record. O(peers). */
void mrt_put_peer_index(GByteArray *b, uint32_t time, uint32_t collector_id, const char *view,
                        const ArMrtPeer *peers, guint n);
/* Appends a TABLE_DUMP_V2 RIB_IPV4_UNICAST record with one entry: prefix p from peer index peer
 * with a's ORIGIN, AS_PATH (4-byte ASNs, one AS_SEQUENCE per 255), NEXT_HOP, MED (when not 0),
 * LOCAL_PREF and COMMUNITIES (when any). O(path + communities). */
void mrt_put_rib_ipv4(GByteArray *b, uint32_t time, uint32_t seq, ArPrefix p, uint16_t peer, const ArAttrs *a);

#endif
