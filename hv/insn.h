/* The guest instruction at CS:RIP: fetching it, and stepping over it
 * after an exit the hypervisor emulated. */
#ifndef HV_INSN_H
#define HV_INSN_H

#include "arch/x86/insn_len.h"
#include "hv/vm.h"

/* Fetches the bytes at CS:RIP; returns how many (0 when none could be
 * read) and the length the decoder found, or a negative errno. */
int insn_fetch(struct vcpu *v, u8 bytes[INSN_MAX_LEN], int *len);

/* Advances RIP past the instruction that caused `exit`: the CPU's saved
 * next RIP when it has one, else the decoded length. When the instruction
 * cannot be read or decoded, stops the VM and returns false. */
bool insn_skip(struct vcpu *v, const struct vm_exit *exit);

#endif
