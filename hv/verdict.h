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

enum verdict {
	VERDICT_PASS,
	VERDICT_FAIL,
	VERDICT_UNSUPPORTED,
};

/* Exit codes written to QEMU's isa-debug-exit port; QEMU then exits with
 * (code << 1) | 1, i.e. 33, 35 and 37. */
#define VERDICT_CODE_PASS 0x10
#define VERDICT_CODE_FAIL 0x11
#define VERDICT_CODE_UNSUPPORTED 0x12

#define VERDICT_DEBUGCON_MARK "HV-VERDICT: "

__noreturn void hv_finish(enum verdict v, const char *fmt, ...) __printf(2, 3);

#endif
