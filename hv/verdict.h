/* How a run ends: one machine-readable line on the console, then power
 * off (emulator exit ports, else halt). Humans read the console line:
 *   HV-RESULT: PASS
 *   HV-RESULT: FAIL <reason>
 *   HV-RESULT: UNSUPPORTED <what the CPU lacks>
 * VM 0 drives COM1 itself and could print such a line too, so test
 * runners take the verdict from the 0xE9 debug port instead, which no
 * guest reaches: the same words behind VERDICT_DEBUGCON_MARK, on a line
 * of their own ("HV-VERDICT: PASS"). */
#ifndef HV_VERDICT_H
#define HV_VERDICT_H

#include "lib/types.h"
#include "lib/verdict.h"

__noreturn void hv_finish(enum verdict v, const char *fmt, ...) __printf(2, 3);

#endif
