/* prefix.c - parsing and formatting of IPv4 addresses and prefixes. */
#include "arsim/prefix.h"

#include <stdio.h>
#include <string.h>

/* Reads one decimal number of at most max from *sp; advances *sp. No sign, no leading '+'. */
static bool read_num(const char **sp, unsigned max, unsigned *out)
{
    const char *s = *sp;
    unsigned v = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (++digits > 3 || v > max)
            return false;
        s++;
    }
    if (digits == 0)
        return false;
    /* "01" style leading zeros are ambiguous (octal in inet_aton): refuse them. */
    if (digits > 1 && **sp == '0')
        return false;
    *sp = s;
    *out = v;
    return true;
}

static bool read_ip(const char **sp, uint32_t *out)
{
    uint32_t ip = 0;
    for (int i = 0; i < 4; i++) {
        unsigned octet;
        if (!read_num(sp, 255, &octet))
            return false;
        ip = (ip << 8) | octet;
        if (i < 3) {
            if (**sp != '.')
                return false;
            (*sp)++;
        }
    }
    *out = ip;
    return true;
}

bool ip_parse(const char *s, uint32_t *out)
{
    uint32_t ip;
    if (!s || !read_ip(&s, &ip) || *s != '\0')
        return false;
    *out = ip;
    return true;
}

PfxParse pfx_parse(const char *s, ArPrefix *out)
{
    uint32_t ip;
    unsigned len;
    if (!s || !read_ip(&s, &ip) || *s != '/')
        return PFX_BAD_SYNTAX;
    s++;
    if (!read_num(&s, 32, &len) || *s != '\0')
        return PFX_BAD_SYNTAX;
    out->len = (uint8_t)len;
    out->addr = ip & pfx_mask(out->len);
    return out->addr == ip ? PFX_OK : PFX_HOST_BITS;
}

char *ip_format(uint32_t ip, char *buf)
{
    snprintf(buf, IP_STRLEN, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
    return buf;
}

char *pfx_format(ArPrefix p, char *buf)
{
    ip_format(p.addr, buf);
    size_t n = strlen(buf);
    snprintf(buf + n, PFX_STRLEN - n, "/%u", p.len);
    return buf;
}

int pfx_cmp(const void *a, const void *b)
{
    uint64_t ka = pfx_key(*(const ArPrefix *)a), kb = pfx_key(*(const ArPrefix *)b);
    return (ka > kb) - (ka < kb);
}
