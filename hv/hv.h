#ifndef HV_HV_H
#define HV_HV_H

#include "boot/boot_info.h"

/* The vendor- and firmware-neutral core, entered once per boot by boot/
 * with everything firmware handed over. Never returns. */
__noreturn void hv_main(struct boot_info *bi);

#endif
