/* x86 instruction-length decoder. Without NRIP save (QEMU's emulated SVM)
 * an intercept does not report where the next instruction starts, so the
 * length is decoded from the instruction bytes fetched from guest memory.
 * Pure code, unit-tested on the host. */
#ifndef ARCH_X86_INSN_LEN_H
#define ARCH_X86_INSN_LEN_H

#include "lib/types.h"

/* The architectural limit: longer encodings raise #GP. */
#define INSN_MAX_LEN 15

/* Default operand/address size of the code segment; 64 = long mode, CS.L=1. */
enum cpu_mode { CPU_MODE_16 = 16, CPU_MODE_32 = 32, CPU_MODE_64 = 64 };

/* Decodes the length of the instruction at bytes[0..avail). Returns the
 * length (1..15), -EINVAL for an undecodable/invalid encoding, or -EAGAIN
 * when avail is too small to tell (the caller fetched fewer bytes, e.g. at
 * a page end, and may fetch more). Never reads past bytes[avail-1] nor
 * past 15 bytes. */
int insn_length(const u8 *bytes, size_t avail, enum cpu_mode mode);

#endif
