/* The rules for XCR0 values (Intel SDM vol. 1, 13.3 "Enabling the XSAVE
 * feature set and XSAVE-enabled features"; AMD APM vol. 2, 11.5.2). */
#ifndef ARCH_X86_XCR0_H
#define ARCH_X86_XCR0_H

#include "lib/types.h"

#define XCR0_X87 BIT(0)
#define XCR0_SSE BIT(1)
#define XCR0_AVX BIT(2)
#define XCR0_BNDREGS BIT(3)
#define XCR0_BNDCSR BIT(4)
#define XCR0_OPMASK BIT(5)
#define XCR0_ZMM_HI256 BIT(6)
#define XCR0_HI16_ZMM BIT(7)
#define XCR0_TILECFG BIT(17)
#define XCR0_TILEDATA BIT(18)
#define XCR0_AVX512 (XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)

/* Whether XSETBV may load `value` into XCR0 when the components in
 * `allowed` are the ones offered: x87 always on, AVX needs SSE, the three
 * AVX-512 components together and with AVX, the two MPX ones together,
 * the two AMX ones together, nothing outside `allowed`. */
bool xcr0_valid(u64 value, u64 allowed);

#endif
