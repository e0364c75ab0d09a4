/* How a run ends: one machine-readable line on the console, then power
 * off (emulator exit ports, else halt). Test runners read the line:
 *   HV-RESULT: PASS
 *   HV-RESULT: FAIL <reason>
 *   HV-RESULT: UNSUPPORTED <what the CPU lacks>   */
#ifndef HV_VERDICT_H
#define HV_VERDICT_H

#include "hv/types.h"

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

__noreturn void hv_finish(enum verdict v, const char *fmt, ...) __printf(2, 3);

#endif
