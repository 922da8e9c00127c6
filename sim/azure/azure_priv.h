/* azure_priv.h - what the Azure stage's files share. */
#ifndef ARSIM_AZURE_PRIV_H
#define ARSIM_AZURE_PRIV_H

#include "arsim/azure.h"

/* ---- originations (origin.c) ---- */

/* Interned attributes of a locally originated route: the given path and communities, weight 32768. */
const ArAttrs *azure_local_attrs(ArSim *sim, uint32_t next_hop, const GArray *path, const GArray *comms);
/* Originates every ArPrefix of prefixes at sp with the RT_* flags. */
void azure_originate_all(ArSpeaker *sp, const GArray *prefixes, uint16_t flags);
/* Originates every route of a file's table (routesFrom) at sp with next hop next_hop; t may be
 * NULL. O(routes + distinct attribute sets). */
void azure_originate_table(ArSpeaker *sp, const ArRouteTable *t, uint32_t next_hop);

/* The route limits of sessions between Azure's own routers (policy.c): what a gateway accepts
 * from a Route Server instance, what a circuit accepts from an ExpressRoute gateway; none with
 * settings.liftLimits. Also gives the MSEEs the scenario (cfg) when a VNet has bgpCommunities,
 * for the communities they add toward on-premises. Call once the sessions exist. O(sessions). */
void azure_session_limits(ArNet *net);

/* Scenario events (events.c): engine events for each, and the epochs they open. */
void azure_events(ArNet *net);
void azure_events_free(ArNet *net);

#endif
