/* The guest instruction at CS:RIP: fetching it, and stepping over it
 * after an exit the hypervisor emulated. */
#ifndef HV_INSN_H
#define HV_INSN_H

#include "hv/vm.h"

#define INSN_MAX 15

/* Fetches the bytes at CS:RIP; returns how many (0 when none could be
 * read) and the length the decoder found, or a negative errno. */
int insn_fetch(struct vcpu *v, u8 bytes[INSN_MAX], int *len);

/* Advances RIP past the instruction that caused `exit`: the CPU's saved
 * next RIP when it has one, else the decoded length. False when the
 * instruction cannot be read or decoded (the caller stops the VM). */
bool insn_skip(struct vcpu *v, const struct vm_exit *exit);

#endif
