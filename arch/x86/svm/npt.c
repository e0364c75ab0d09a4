/* AMD nested page table entries: ordinary long-mode page-table entries
 * (AMD APM vol. 2, nested paging). A nested walk is a user-mode access,
 * so the User bit must be set at every level. Memory type is write-back
 * (PWT = PCD = 0, PAT bit clear); A and D are left for the CPU to set. */
#include "arch/x86/svm/npt.h"

#define NPT_P BIT(0)
#define NPT_RW BIT(1)
#define NPT_US BIT(2)
#define NPT_PWT BIT(3)
#define NPT_PCD BIT(4)
#define NPT_A BIT(5)
#define NPT_D BIT(6)
#define NPT_PS BIT(7)
#define NPT_NX BIT(63)
#define NPT_ADDR 0x000ffffffffff000ULL /* bits 51:12 */

static u64 npt_table_entry(u64 table_pa)
{
	return (table_pa & NPT_ADDR) | NPT_P | NPT_RW | NPT_US;
}

/* Readability is implied by P: NPT cannot express a non-readable page. */
static u64 npt_leaf_entry(u64 pa, u32 perms, bool large)
{
	u64 e = (pa & NPT_ADDR) | NPT_P | NPT_US;

	if (perms & PT_W)
		e |= NPT_RW;
	if (!(perms & PT_X))
		e |= NPT_NX;
	if (large)
		e |= NPT_PS;
	return e;
}

static bool npt_present(u64 e)
{
	return e & NPT_P;
}

/* Bit 7 is PS only in a PDE; in a PTE it is the PAT bit. */
static bool npt_is_leaf(u64 e, int level)
{
	return level == 0 || (level == 1 && (e & NPT_PS));
}

static u64 npt_entry_addr(u64 e)
{
	return e & NPT_ADDR;
}

static u32 npt_leaf_perms(u64 e)
{
	u32 perms = PT_R;

	if (e & NPT_RW)
		perms |= PT_W;
	if (!(e & NPT_NX))
		perms |= PT_X;
	return perms;
}

const struct pt_format npt_format = {
	.name = "npt",
	.table_entry = npt_table_entry,
	.leaf_entry = npt_leaf_entry,
	.present = npt_present,
	.is_leaf = npt_is_leaf,
	.entry_addr = npt_entry_addr,
	.leaf_perms = npt_leaf_perms,
};
