/* INIT and SIPI for a vCPU (the multi-vCPU start-up of application
 * processors): what an INIT IPI and a start-up IPI do to their target. */
#ifndef HV_VCPU_MP_H
#define HV_VCPU_MP_H

#include "lib/types.h"

struct vcpu;

/* An INIT signal arrives for v. */
void vcpu_init_signal(struct vcpu *v);
/* A start-up IPI with this vector (the start page number) arrives for v. */
void vcpu_sipi(struct vcpu *v, u8 vector);

#endif
