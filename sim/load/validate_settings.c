/* validate_settings.c - the "settings" section: timing and limits of the simulation. */
#include "validator.h"

/* Scenario-wide settings; read first, since they change what later checks allow. */
void vd_settings(Ctx *c, const cJSON *obj)
{
    Src sr;
    ArSettings *st = &c->s->settings;
    if (!vd_check_object(c, obj, "/settings", fmt_settings_keys, SET_N, &sr))
        return;
    if (sr.f[SET_LIFT])
        st->lift_limits = cJSON_IsTrue(sr.f[SET_LIFT]);
    uint64_t *dst[SET_N] = { NULL, &st->link_delay, &st->proc_delay, &st->jitter, &st->mrai, &st->hold_time,
                             &st->session_setup, &st->retry_after_limit, &st->gateway_downtime, &st->max_time, NULL };
    uint32_t mib;
    if (sr.f[SET_MAXMEM] && vd_get_key_uint(c, sr.f[SET_MAXMEM], "/settings/maxMemoryMiB", &fmt_settings_keys[SET_MAXMEM], &mib))
        st->max_memory_mib = mib;
    for (int k = SET_LINK; k <= SET_MAXT; k++)
        if (sr.f[k])
            vd_get_time(c, sr.f[k], PK(c, "/settings", fmt_settings_keys[k].key), dst[k]);
    if (sr.f[SET_HOLD] && st->hold_time && st->hold_time < AR_US(AR_HOLD_TIME_MIN_S))
        ERR(c, sr.f[SET_HOLD], "/settings/holdTime", "a BGP hold time is 0 (no hold timer) or at least 3 s (RFC 4271 4.2)");
    /* These are used as given: 0 would mean "instantly" or "never", which the model cannot honour. */
    static const int positive[] = { SET_LINK, SET_PROC, SET_SETUP, SET_RETRY, SET_MAXT };
    for (size_t k = 0; k < G_N_ELEMENTS(positive); k++) {
        int f = positive[k];
        if (sr.f[f] && *dst[f] == 0)
            ERR(c, sr.f[f], PK(c, "/settings", fmt_settings_keys[f].key), "%s must be greater than 0 (at least 1 microsecond)",
                fmt_settings_keys[f].key);
    }
}
