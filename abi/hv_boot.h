/* What a guest started by the hypervisor finds at entry: the guest-physical
 * address of a struct hv_boot_info in RDI (long-mode guests) or EBX
 * (32-bit guests). Public ABI: fixed-width types, explicit padding,
 * compiles freestanding and on a hosted compiler.
 *
 * On several CPUs VM 0 has one vCPU per CPU (HV_EXT_VM0_SMP): vCPU 0
 * enters as above; the others wait, never entered, until VM 0 starts
 * each with HV_CALL_VCPU_START at an entry, stack and RDI of its choice
 * in the starting vCPU's mode (docs/abi.md section 16). A VM 0 that
 * never starts them runs on one vCPU as on one CPU. */
#ifndef ABI_HV_BOOT_H
#define ABI_HV_BOOT_H

#include "hv_abi.h"
#include <stdint.h>

#define HV_BOOT_MAGIC 0x30425648u /* "HVB0" */
#define HV_BOOT_MEMMAP_MAX 8
#define HV_BOOT_MODULES_MAX 8
#define HV_BOOT_CMDLINE_MAX 512
#define HV_BOOT_MODULE_NAME_MAX 64

#define HV_BOOT_MEM_RAM 1

struct hv_boot_mem_range {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* HV_BOOT_MEM_RAM */
	uint32_t pad;
};

/* A module that fits in VM 0's RAM after its kernel is copied there;
 * one that does not is mapped read-only above the RAM (HV_EXT_MODULE_MAP,
 * docs/abi.md section 15): at a 2 MiB boundary at or above the RAM's end
 * and below 3 GiB, readable, a write gets #GP(0). */
struct hv_boot_module {
	uint64_t gpa;  /* where the module's bytes sit in guest memory */
	uint64_t size;
	char name[HV_BOOT_MODULE_NAME_MAX]; /* the module's boot string */
};

struct hv_boot_info {
	uint32_t magic; /* HV_BOOT_MAGIC */
	uint32_t size;  /* sizeof(struct hv_boot_info) when written */
	uint32_t memmap_count;
	uint32_t module_count;
	struct hv_boot_mem_range memmap[HV_BOOT_MEMMAP_MAX];
	struct hv_boot_module modules[HV_BOOT_MODULES_MAX];
	char cmdline[HV_BOOT_CMDLINE_MAX];
};

HV_ABI_STATIC_ASSERT(sizeof(struct hv_boot_mem_range) == 24, "hv_boot_mem_range size");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_boot_module) == 80, "hv_boot_module size");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_boot_info) == 16 + 8 * 24 + 8 * 80 + 512,
	       "hv_boot_info size");
HV_ABI_STATIC_ASSERT(__builtin_offsetof(struct hv_boot_info, memmap) == 16,
	       "hv_boot_info.memmap offset");
HV_ABI_STATIC_ASSERT(__builtin_offsetof(struct hv_boot_info, cmdline) == 848,
	       "hv_boot_info.cmdline offset");

/* Guest-visible CPUID: the hypervisor's leaves. */
#define HV_CPUID_BASE 0x40000000u    /* EAX: max leaf; EBX ECX EDX: signature */
#define HV_CPUID_VERSION 0x40000001u /* EAX: ABI version */
#define HV_CPUID_TSC 0x40000010u     /* EAX: TSC kHz (0: unknown); EBX: the
					* LAPIC timer's kHz (virtual LAPIC), else 0 */
#define HV_CPUID_SIGNATURE "MicroHVisor!"

/* I/O ports the hypervisor provides to VM 0 while no management guest
 * exists: the exit port (a 32-bit write ends VM 0 with that value) and a
 * scratch device (four 32-bit registers at 0x5a0-0x5af) for I/O tests. */
#define HV_PORT_EXIT 0xf4
#define HV_PORT_SCRATCH 0x5a0
#define HV_PORT_SCRATCH_SIZE 16

#endif
