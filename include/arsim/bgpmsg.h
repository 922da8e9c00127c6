/* bgpmsg.h - BGP-4 messages on the wire (RFC 4271, 6793, 2918, 7606): the live mode's codec. */
#ifndef ARSIM_BGPMSG_H
#define ARSIM_BGPMSG_H

#include "arsim/attr.h"
#include "arsim/msgsize.h"
#include "arsim/prefix.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_HEADER_LEN MSGSIZE_HEADER /* marker (16), length (2), type (1) */
#define BM_MAX_LEN MSGSIZE_MAX       /* RFC 4271 4.1: no message is longer */
#define BM_AS_TRANS 23456u /* RFC 6793: the 2-octet stand-in for a 4-octet AS */

/* Message types (RFC 4271 4.1, RFC 2918 3). */
typedef enum BmType {
    BM_OPEN = 1,
    BM_UPDATE = 2,
    BM_NOTIFICATION = 3,
    BM_KEEPALIVE = 4,
    BM_ROUTE_REFRESH = 5,
} BmType;

/* NOTIFICATION error codes (RFC 4271 4.5) and the subcodes this codec sends. */
#define BM_ERR_HEADER 1u       /* Message Header Error */
#define BM_SUB_NOT_SYNC 1u     /*   Connection Not Synchronized (marker not all ones) */
#define BM_SUB_BAD_LENGTH 2u   /*   Bad Message Length (data: the length field) */
#define BM_SUB_BAD_TYPE 3u     /*   Bad Message Type (data: the type) */
#define BM_ERR_OPEN 2u         /* OPEN Message Error */
#define BM_SUB_UNSPECIFIC 0u   /*   malformed optional parameters (no specific subcode) */
#define BM_SUB_VERSION 1u      /*   Unsupported Version Number (data: 4, the version we speak) */
#define BM_SUB_BAD_PEER_AS 2u  /*   Bad Peer AS */
#define BM_SUB_BAD_ID 3u       /*   Bad BGP Identifier */
#define BM_SUB_OPT_PARAM 4u    /*   Unsupported Optional Parameter */
#define BM_SUB_HOLD_TIME 6u    /*   Unacceptable Hold Time */
#define BM_ERR_UPDATE 3u       /* UPDATE Message Error */
#define BM_SUB_ATTR_LIST 1u    /*   Malformed Attribute List */
#define BM_SUB_WELL_KNOWN 2u   /*   Unrecognized Well-known Attribute (data: the attribute) */
#define BM_SUB_NETWORK 10u     /*   Invalid Network Field */
#define BM_ERR_HOLD 4u         /* Hold Timer Expired */
#define BM_ERR_FSM 5u          /* Finite State Machine Error */
#define BM_ERR_CEASE 6u        /* Cease (RFC 4486 subcodes) */
#define BM_SUB_MAX_PREFIXES 1u /*   Maximum Number of Prefixes Reached */
#define BM_SUB_SHUTDOWN 2u     /*   Administrative Shutdown */

/* A message that cannot be accepted: the NOTIFICATION to send before closing (session reset). */
typedef struct BmError {
    uint8_t code;      /* BM_ERR_* */
    uint8_t subcode;   /* BM_SUB_* */
    uint8_t data[8];   /* the NOTIFICATION's data (a length, a type, an attribute header) */
    uint8_t data_len;  /* bytes of data used */
    const char *why;   /* static text for logs */
} BmError;

/* An OPEN (RFC 4271 4.2) with the capabilities live mode uses. */
typedef struct BmOpen {
    uint8_t version;     /* 4 */
    uint32_t asn;        /* the sender's AS: the 4-octet capability's value when present, else My AS */
    uint16_t hold_time;  /* seconds: 0 (no keepalives) or at least 3 */
    uint32_t bgp_id;     /* BGP identifier, host order, never 0 */
    bool as4;            /* carries the 4-octet AS capability (RFC 6793) */
    bool route_refresh;  /* carries the route-refresh capability (RFC 2918) */
    bool ipv4_unicast;   /* carries multiprotocol IPv4 unicast (RFC 4760), or no multiprotocol at all */
} BmOpen;

/* A decoded UPDATE. Prefixes are validated (length <= 32, host bits cleared). */
typedef struct BmUpdate {
    GArray *withdrawn;      /* ArPrefix: the Withdrawn Routes field */
    GArray *nlri;           /* ArPrefix: the NLRI field */
    const ArAttrs *attrs;   /* interned attributes of nlri; NULL when the message has no NLRI or when
                             * treat_as_withdraw is set */
    bool treat_as_withdraw; /* RFC 7606: the attributes were malformed; nlri must be treated as withdrawn */
    const char *why;        /* treat_as_withdraw: static text naming the fault */
} BmUpdate;

void bm_update_init(BmUpdate *u);
void bm_update_clear(BmUpdate *u);

/* ---- framing ---------------------------------------------------------------------------------
 * bm_frame looks at the start of a receive buffer: 0 when fewer than 19 bytes, or fewer than the
 * header's length, are there (wait for more); the message's length when it is complete; -1 with
 * *err set when the header is bad (marker, length under 19 or over 4096, or the wrong length for
 * its type, or an unknown type). O(1). */
gssize bm_frame(const uint8_t *buf, size_t len, BmError *err);

/* ---- decoding: msg is one whole message as bm_frame returned it. O(length). ------------------ */
gboolean bm_parse_open(const uint8_t *msg, size_t len, BmOpen *o, BmError *err);
/* as4: both ends sent the 4-octet AS capability (AS_PATH holds 4-octet ASNs, else 2-octet ones
 * with AS4_PATH merged in as RFC 6793 4.2.3 says). Attributes are interned in c; LOCAL_PREF is
 * ignored (eBGP, RFC 4271 5.1.5) and set to the default. FALSE (session reset) only when the
 * message cannot be split into its fields (RFC 7606 treats the rest as treat-as-withdraw). */
gboolean bm_parse_update(const uint8_t *msg, size_t len, bool as4, ArAttrCache *c, BmUpdate *u, BmError *err);
gboolean bm_parse_notification(const uint8_t *msg, size_t len, BmError *err);

/* Appends v to b in network byte order (big-endian), as BGP and MRT write every integer. O(1). */
void bm_put8(GByteArray *b, uint8_t v);
void bm_put16(GByteArray *b, uint16_t v);
void bm_put32(GByteArray *b, uint32_t v);

/* ---- encoding: each appends one whole message to b ------------------------------------------- */
void bm_put_open(GByteArray *b, const BmOpen *o);
void bm_put_keepalive(GByteArray *b);
void bm_put_notification(GByteArray *b, const BmError *e);
void bm_put_route_refresh(GByteArray *b);
/* Path attributes of a in BGP's encoding: ORIGIN, AS_PATH (one AS_SEQUENCE per 255 ASNs; 4-octet
 * ASNs when as4, else 2-octet ones with AS_TRANS and an AS4_PATH when needed), NEXT_HOP, MED (when
 * not 0), LOCAL_PREF when local_pref, COMMUNITIES (when any). O(path + communities). */
void bm_put_attrs(GByteArray *b, const ArAttrs *a, bool as4, bool local_pref);
/* An UPDATE announcing the first prefixes of nlri[0..n) with attributes a, as many as fit in
 * BM_MAX_LEN: returns how many (0 when the attributes alone do not fit: nothing appended). */
guint bm_put_update(GByteArray *b, const ArAttrs *a, bool as4, const ArPrefix *nlri, guint n);
/* An UPDATE withdrawing the first prefixes of w[0..n), as many as fit; returns how many (n > 0). */
guint bm_put_withdraw(GByteArray *b, const ArPrefix *w, guint n);

/* Text of an error code and subcode for logs: "Cease / Administrative Shutdown". Static. */
const char *bm_error_name(uint8_t code, uint8_t subcode);

#endif
