/* The BIOS data area: the 256 bytes at 0x400 a PC's firmware fills in
 * at power-on, which kernels for QEMU's pc machine read before they trust
 * anything else (Xen places its trampoline by the EBDA segment and the
 * base memory size; Linux and others find COM1 in the port table). */
#ifndef GUESTS_MGMT_BDA_H
#define GUESTS_MGMT_BDA_H

#include "lib/types.h"

#define BDA_GPA 0x400
#define BDA_SIZE 0x100

/* Offsets into the area. */
#define BDA_COM_PORTS 0x00   /* 4 words: COM1-COM4's base ports, 0: none */
#define BDA_LPT_PORTS 0x08   /* 3 words: LPT1-LPT3's */
#define BDA_EBDA_SEGMENT 0x0e /* word: the extended BIOS data area >> 4 */
#define BDA_EQUIPMENT 0x10   /* word: the equipment list */
#define BDA_BASE_MEMORY 0x13 /* word: conventional memory in KiB */

/* Equipment list bits. */
#define BDA_EQUIP_FPU 0x0002          /* an x87 is present */
#define BDA_EQUIP_VIDEO_80X25 0x0020  /* bits 4-5: 10b, 80x25 colour */
#define BDA_EQUIP_SERIAL_SHIFT 9      /* bits 9-11: serial ports */

/* The area for a PC with one serial port at com1, and conventional
 * memory up to ebda (the EBDA's first byte, 1 KiB aligned below 640 KiB):
 * the base memory size is ebda in KiB, the EBDA segment ebda >> 4. */
void bda_build(u8 bda[BDA_SIZE], u16 com1, u32 ebda);

/* The EBDA's first byte: its size in KiB. */
#define EBDA_SIZE_KIB 1

#endif
