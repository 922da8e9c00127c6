/* fuzz_load.c - libFuzzer harness over the scenario loader: any bytes in, a model or diagnostics
 * out, never a crash, a leak or undefined behaviour. Built with -Dfuzz=true (tests/fuzz/meson.build)
 * or tools/fuzz.sh; see docs/testing.md. */
#include "arsim/loader.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ArDiagList *diags = diag_list_new();
    /* No --set overrides; default limits (64 MiB is far above libFuzzer's -max_len). */
    ArScenario *scn = load_text("fuzz.json", (const char *)data, size, NULL, diags);
    /* Every diagnostic must format: messages quote parts of the input. */
    for (guint i = 0; i < diags->items->len; i++)
        g_free(diag_format(g_ptr_array_index(diags->items, i)));
    /* The contract of load_text: a model exactly when no error was reported. */
    if ((scn != NULL) != (diags->errors == 0))
        __builtin_trap();
    scn_free(scn);
    diag_list_free(diags);
    return 0;
}
