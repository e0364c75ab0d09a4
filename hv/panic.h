#ifndef HV_PANIC_H
#define HV_PANIC_H

#include "lib/types.h"

/* Prints the message and a backtrace, then ends the run with a FAIL
 * verdict. For states the hypervisor cannot continue from. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#endif
