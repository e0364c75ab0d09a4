/* VM 0's boot modules: the modules after its kernel, listed in its
 * struct hv_boot_info (abi/hv_boot.h). */
#ifndef HV_VM0_MODULES_H
#define HV_VM0_MODULES_H

#include "abi/hv_boot.h"
#include "boot/boot_info.h"
#include "hv/vm.h"

/* Gives VM 0 every module after its kernel: copied into its RAM from gpa
 * on when it fits, else mapped read-only above its RAM; a module that can
 * have neither is logged and left out. Lists each one in info. */
void vm0_modules_add(struct vm *vm, const struct boot_info *bi, u64 gpa,
		     struct hv_boot_info *info);

/* Frees what vm0_modules_add allocated; VM 0's stage-2 tables, which
 * map it, must be gone. */
void vm0_modules_release(void);

#endif
