/* Console output for 32-bit guests (COM1; the 64-bit guest runtime's
 * printf needs 64-bit division helpers these do not link). */
#ifndef GUESTS_TEST32_IO32_H
#define GUESTS_TEST32_IO32_H

#include <stdint.h>

#define COM1 0x3f8

static inline void outb(uint16_t p, uint8_t v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { asm volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl(uint16_t p) { uint32_t v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static inline void putc32(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

static inline void puts32(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc32('\r');
		putc32(*s);
	}
}

static inline void puthex(uint32_t v)
{
	puts32("0x");
	for (int i = 28; i >= 0; i -= 4)
		putc32("0123456789abcdef"[(v >> i) & 0xf]);
}

static inline void putdec(uint32_t v)
{
	char buf[12];
	int i = 11;

	buf[i] = '\0';
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	puts32(buf + i);
}

#endif
