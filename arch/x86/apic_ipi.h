/* This CPU's local APIC as start-up needs it: which mode it is in, its
 * id, and INIT and STARTUP IPIs to another CPU through the interrupt
 * command register (MMIO in xAPIC mode, an MSR in x2APIC mode). */
#ifndef ARCH_X86_APIC_IPI_H
#define ARCH_X86_APIC_IPI_H

#include "lib/types.h"

/* True when this CPU's local APIC is in x2APIC mode. */
bool apic_x2apic_mode(void);

/* This CPU's local APIC id. */
u32 apic_id_this_cpu(void);

/* The highest APIC id an IPI from this CPU can name. */
u32 apic_max_destination(void);

/* The hypervisor's own vector for kicks: its handler only acknowledges
 * it; what matters is that the CPU it interrupts leaves guest mode or
 * wakes from HLT. */
#define KICK_VECTOR 0xed

/* A fixed interrupt with `vector` to the CPU with local APIC id `dest`. */
void apic_send_fixed(u32 dest, u8 vector);

/* INIT, level asserted, to the CPU with local APIC id `dest`. */
void apic_send_init(u32 dest);

/* STARTUP with start page `vector` (real-mode CS = vector << 8). */
void apic_send_startup(u32 dest, u8 vector);

#endif
