/* azimport.h - a scenario from what Azure exports: `az network ... list -o json` files or `az group export`. */
#ifndef ARSIM_AZIMPORT_H
#define ARSIM_AZIMPORT_H

#include "arsim/diag.h"

#include <cjson/cJSON.h>

/* Reads every *.json file of dir, in name order: each is the JSON array an `az network ... list`
 * command prints (virtual networks, their peerings, Route Servers and their peerings, virtual
 * network gateways, connections, local network gateways, ExpressRoute circuits, route tables), one
 * resource object, or an ARM template from `az group export`. Resources are recognised by their
 * "type"; property names are those of Azure's REST API (flattened by the CLI, under "properties" in
 * templates). What the exports cannot tell (prefixes behind a circuit, what an NVA advertises) comes
 * from overlay (may be NULL): a scenario fragment whose objects are merged by "name" into the
 * imported ones (its keys win), its other objects added; else a warning says what to add.
 * Every object skipped gets a warning saying why; a file that is not such an export is an error
 * (file, line:column, JSON pointer, what was expected). Returns the scenario document, NULL when
 * diags received an error. The result is meant to be validated by the loader. O(resources log
 * resources + file sizes). */
cJSON *azi_import_dir(const char *dir, const char *overlay, ArDiagList *diags);

#endif
