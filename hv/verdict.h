/* How a run ends: one machine-readable line on the console, then power
 * off (emulator exit ports, else halt). Humans read the console line:
 *   HV-RESULT: PASS [cpus=N]
 *   HV-RESULT: FAIL <reason> [cpus=N]
 *   HV-RESULT: UNSUPPORTED <what the CPU lacks> [cpus=N]
 * N is how many CPUs the hypervisor runs on (hv_verdict_set_cpus; 1 until
 * the others are started); a reader takes the word after "HV-RESULT: ".
 * VM 0 drives COM1 itself and could print such a line too, so test
 * runners take the verdict from the 0xE9 debug port instead, which no
 * guest reaches: the same words behind VERDICT_DEBUGCON_MARK, on a line
 * of their own ("HV-VERDICT: PASS"). */
#ifndef HV_VERDICT_H
#define HV_VERDICT_H

#include "lib/types.h"
#include "lib/verdict.h"

/* How many CPUs the verdict names: those running virtualized once the
 * others were started (hv_main). */
void hv_verdict_set_cpus(u32 n);

__noreturn void hv_finish(enum verdict v, const char *fmt, ...) __printf(2, 3);

#endif
