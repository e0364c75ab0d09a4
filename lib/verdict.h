/* The verdict's machine-readable forms, shared by the hypervisor
 * (hv/verdict.c) and the UEFI loader, which reports its own failures on
 * the same channels: the words behind VERDICT_DEBUGCON_MARK on port 0xE9,
 * and the isa-debug-exit codes. */
#ifndef LIB_VERDICT_H
#define LIB_VERDICT_H

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

#endif
