/* The real-mode child of the realmode test: where it lives and the ports
 * it reports on. */
#ifndef GUESTS_REALMODE_REALMODE_H
#define GUESTS_REALMODE_REALMODE_H

#define RM_CODE 0x1000     /* child-physical address of its code, CS = 0 */
#define RM_STACK 0x8000
#define RM_PORT_SP 0xe2    /* SP inside the #GP handler */
#define RM_PORT_IP 0xe3    /* the IP the #GP pushed */
#define RM_PORT_FAIL 0xe4  /* RDMSR did not fault */

#ifndef __ASSEMBLY__
#include "lib/types.h"

extern const u8 rm_child_start[], rm_child_end[], rm_child_rdmsr[];
#endif

#endif
