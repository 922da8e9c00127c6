/* msgsize.h - encoded sizes of BGP UPDATE messages (RFC 4271 4.3), shared by the engine and the live codec. */
#ifndef ARSIM_MSGSIZE_H
#define ARSIM_MSGSIZE_H

#include "arsim/attr.h"
#include "arsim/rib.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSGSIZE_MAX 4096u    /* RFC 4271 4.1: no BGP message is longer */
#define MSGSIZE_HEADER 19u   /* marker (16), length (2), type (1) */
#define MSGSIZE_UPDATE_MIN 23u /* header, Withdrawn Routes Length (2), Total Path Attribute Length (2) */

/* Bytes of one prefix in a Withdrawn Routes or NLRI field: its length octet and ceil(len/8)
 * octets of address. O(1). */
static inline size_t msgsize_prefix(uint8_t len) { return 1u + (len + 7u) / 8u; }

/* Bytes of a's path attributes as bgpmsg.c's bm_put_attrs writes them: ORIGIN, AS_PATH (one
 * AS_SEQUENCE per 255 ASNs, 4 octets an ASN when as4, else 2 and an AS4_PATH when an ASN needs
 * 4), NEXT_HOP, MED when not 0, LOCAL_PREF when local_pref, COMMUNITIES when any; each with a
 * 3-byte header, or 4 when the value is over 255 bytes (extended length). O(path). */
size_t msgsize_attrs(const ArAttrs *a, bool as4, bool local_pref);

/* Bytes an UPDATE has for prefixes once the fixed fields and attrs_len bytes of attributes are
 * counted; 0 when they alone fill the message. O(1). */
static inline size_t msgsize_room(size_t attrs_len)
{
    return attrs_len + MSGSIZE_UPDATE_MIN < MSGSIZE_MAX ? MSGSIZE_MAX - MSGSIZE_UPDATE_MIN - attrs_len : 0;
}

/* How many of the first n prefix ids (in pfx) one UPDATE carries: withdrawals when a is NULL,
 * else announcements with a's attributes (encoded as msgsize_attrs(a, true, ibgp): 4-octet ASNs,
 * LOCAL_PREF on iBGP as RFC 4271 5.1.5 says). At least 1 when n > 0: an attribute set too large
 * for any message still goes, one prefix a message (arsim's choice, docs/azure-rules.md).
 * O(prefixes carried + path). */
guint msgsize_fit(const ArPfxTable *pfx, const ArAttrs *a, bool ibgp, const uint32_t *ids, guint n);

#endif
