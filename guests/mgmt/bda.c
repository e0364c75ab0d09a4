/* The BIOS data area (bda.h), as a PC/AT BIOS leaves it. */
#include "guests/mgmt/bda.h"
#include "lib/string.h"

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

void bda_build(u8 bda[BDA_SIZE], u16 com1, u32 ebda)
{
	memset(bda, 0, BDA_SIZE);
	put16(bda + BDA_COM_PORTS, com1);
	put16(bda + BDA_EBDA_SEGMENT, (u16)(ebda >> 4));
	put16(bda + BDA_EQUIPMENT, BDA_EQUIP_FPU | BDA_EQUIP_VIDEO_80X25 |
					   1u << BDA_EQUIP_SERIAL_SHIFT);
	put16(bda + BDA_BASE_MEMORY, (u16)(ebda / 1024));
}
