#include "arch/x86/xcr0.h"

#define XCR0_MPX (XCR0_BNDREGS | XCR0_BNDCSR)
#define XCR0_AMX (XCR0_TILECFG | XCR0_TILEDATA)

/* A group of components that is enabled as a whole or not at all. */
static bool all_or_none(u64 value, u64 group)
{
	return (value & group) == 0 || (value & group) == group;
}

bool xcr0_valid(u64 value, u64 allowed)
{
	if (!(value & XCR0_X87) || (value & ~allowed))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if ((value & XCR0_AVX512) && !(value & XCR0_AVX))
		return false;
	return all_or_none(value, XCR0_AVX512) && all_or_none(value, XCR0_MPX) &&
	       all_or_none(value, XCR0_AMX);
}
