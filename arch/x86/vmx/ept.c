/* Intel EPT entries (Intel SDM vol. 3, EPT translation mechanism): bits
 * 0-2 read/write/supervisor-execute, an entry is present when any of them
 * is set. Leaves carry the memory type in bits 5:3 (write-back here) with
 * ignore-PAT (bit 6) clear; bit 7 marks a 2 MiB leaf in a PDE. */
#include "arch/x86/vmx/ept.h"

#define EPT_R BIT(0)
#define EPT_W BIT(1)
#define EPT_X BIT(2)
#define EPT_RWX (EPT_R | EPT_W | EPT_X)
#define EPT_MT_SHIFT 3
#define EPT_MT_WB 6ULL
#define EPT_LARGE BIT(7)
#define EPT_ADDR 0x000ffffffffff000ULL /* bits 51:12 */
#define EPTP_WALK_LENGTH_SHIFT 3

const struct pt_format ept_format = {
	.name = "ept",
	.addr = EPT_ADDR,
	.present = EPT_RWX,
	.table = EPT_RWX,
	.leaf = EPT_MT_WB << EPT_MT_SHIFT,
	.large = EPT_LARGE,
	.grant = { [PT_R_BIT] = EPT_R, [PT_W_BIT] = EPT_W, [PT_X_BIT] = EPT_X },
};

/* Bits 2:0 memory type of the paging structures, 5:3 walk length - 1. */
u64 ept_pointer(u64 root_pa)
{
	return (root_pa & EPT_ADDR) | (3ULL << EPTP_WALK_LENGTH_SHIFT) |
	       EPT_MT_WB;
}
