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
#define EPT_IPAT BIT(6)
#define EPT_LARGE BIT(7)
#define EPT_ADDR 0x000ffffffffff000ULL /* bits 51:12 */
#define EPTP_WALK_LENGTH_SHIFT 3

static u64 ept_table_entry(u64 table_pa)
{
	return (table_pa & EPT_ADDR) | EPT_RWX;
}

static u64 ept_leaf_entry(u64 pa, u32 perms, bool large)
{
	u64 e = (pa & EPT_ADDR) | (EPT_MT_WB << EPT_MT_SHIFT);

	if (perms & PT_R)
		e |= EPT_R;
	if (perms & PT_W)
		e |= EPT_W;
	if (perms & PT_X)
		e |= EPT_X;
	if (large)
		e |= EPT_LARGE;
	return e;
}

static bool ept_present(u64 e)
{
	return e & EPT_RWX;
}

static bool ept_is_leaf(u64 e, int level)
{
	return level == 0 || (level == 1 && (e & EPT_LARGE));
}

static u64 ept_entry_addr(u64 e)
{
	return e & EPT_ADDR;
}

static u32 ept_leaf_perms(u64 e)
{
	u32 perms = 0;

	if (e & EPT_R)
		perms |= PT_R;
	if (e & EPT_W)
		perms |= PT_W;
	if (e & EPT_X)
		perms |= PT_X;
	return perms;
}

const struct pt_format ept_format = {
	.name = "ept",
	.table_entry = ept_table_entry,
	.leaf_entry = ept_leaf_entry,
	.present = ept_present,
	.is_leaf = ept_is_leaf,
	.entry_addr = ept_entry_addr,
	.leaf_perms = ept_leaf_perms,
};

/* Bits 2:0 memory type of the paging structures, 5:3 walk length - 1. */
u64 ept_pointer(u64 root_pa)
{
	return (root_pa & EPT_ADDR) | (3ULL << EPTP_WALK_LENGTH_SHIFT) |
	       EPT_MT_WB;
}
