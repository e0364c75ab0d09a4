/* AMD nested page table entries: ordinary long-mode page-table entries
 * (AMD APM vol. 2, nested paging). A nested walk is a user-mode access,
 * so the User bit must be set at every level. Memory type is write-back
 * (PWT = PCD = 0, PAT bit clear); A and D are left for the CPU to set.
 * Readability is implied by P: NPT cannot express a non-readable page. */
#include "arch/x86/svm/npt.h"

#define NPT_P BIT(0)
#define NPT_RW BIT(1)
#define NPT_US BIT(2)
#define NPT_PS BIT(7) /* only in a PDE; in a PTE bit 7 is the PAT bit */
#define NPT_NX BIT(63)
#define NPT_ADDR 0x000ffffffffff000ULL /* bits 51:12 */

const struct pt_format npt_format = {
	.name = "npt",
	.addr = NPT_ADDR,
	.present = NPT_P,
	.table = NPT_P | NPT_RW | NPT_US,
	.leaf = NPT_P | NPT_US,
	.large = NPT_PS,
	.grant = { [PT_W_BIT] = NPT_RW },
	.deny = { [PT_X_BIT] = NPT_NX },
};
