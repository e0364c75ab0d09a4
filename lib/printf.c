/* Freestanding vsnprintf. The supported subset is listed in lib/printf.h;
 * for everything it supports the output matches the C library's (glibc)
 * byte for byte, which tests/unit/test_printf.c checks. No floating point.
 *
 * Choices where C leaves the behaviour open:
 * - an unknown conversion (including %n) is copied literally, from the
 *   '%' through the conversion character, and consumes no argument
 *   (arguments already taken by a '*' width or precision stay taken);
 * - a lone '%' at the end of the format is copied literally;
 * - %s of NULL prints "(null)" (cut by the precision like any string);
 * - %p of NULL prints "(nil)" like glibc, otherwise it is %#lx;
 * - length modifiers on %c and %s are ignored;
 * - a result longer than INT_MAX returns -1 (the buffer is still filled). */
#include "lib/printf.h"
#include "lib/string.h"

#define FL_LEFT  (1u << 0)	/* '-': pad on the right */
#define FL_ZERO  (1u << 1)	/* '0': pad numbers with zeros */
#define FL_SPACE (1u << 2)	/* ' ': blank before non-negative numbers */
#define FL_PLUS  (1u << 3)	/* '+': sign before non-negative numbers */
#define FL_ALT   (1u << 4)	/* '#': 0x prefix, leading octal zero */

#define PRINTF_INT_MAX 0x7fffffff

enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

/* Output cursor: every byte is counted, only those that fit are stored. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

/* One parsed conversion specification. */
struct spec {
	u32 flags;
	int width;
	int prec;		/* -1 when no precision was given */
	enum len_mod len;
	char conv;
};

/* A formatted number split into the parts the padding goes between. */
struct num_parts {
	char sign;		/* '\0', '-', '+' or ' ' */
	const char *prefix;	/* "", "0x" or "0X" */
	size_t zeros;		/* zeros required by the precision */
	const char *digits;
	size_t ndigits;
};

static size_t out_room(const struct out *o)
{
	return o->len + 1 < o->size ? o->size - 1 - o->len : 0;
}

static void out_char(struct out *o, char c)
{
	if (out_room(o))
		o->buf[o->len] = c;
	o->len++;
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	size_t room = out_room(o);

	if (room)
		memcpy(o->buf + o->len, s, MIN(n, room));
	o->len += n;
}

static void out_repeat(struct out *o, char c, size_t n)
{
	size_t room = out_room(o);

	if (room)
		memset(o->buf + o->len, c, MIN(n, room));
	o->len += n;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a decimal field, saturating at INT_MAX instead of overflowing. */
static int parse_decimal(const char **p)
{
	int v = 0;

	while (is_digit(**p)) {
		int d = *(*p)++ - '0';

		v = v > (PRINTF_INT_MAX - d) / 10 ? PRINTF_INT_MAX : v * 10 + d;
	}
	return v;
}

static u32 flag_bit(char c)
{
	switch (c) {
	case '-': return FL_LEFT;
	case '0': return FL_ZERO;
	case ' ': return FL_SPACE;
	case '+': return FL_PLUS;
	case '#': return FL_ALT;
	default: return 0;
	}
}

static void parse_flags(const char **p, struct spec *sp)
{
	u32 bit;

	while ((bit = flag_bit(**p)) != 0) {
		sp->flags |= bit;
		(*p)++;
	}
}

/* Width: digits or '*'; a negative '*' width means '-' and its magnitude. */
static void parse_width(const char **p, struct spec *sp, va_list *ap)
{
	int w;

	if (**p != '*') {
		sp->width = parse_decimal(p);
		return;
	}
	(*p)++;
	w = va_arg(*ap, int);
	if (w < 0) {
		sp->flags |= FL_LEFT;
		w = w < -PRINTF_INT_MAX ? PRINTF_INT_MAX : -w;
	}
	sp->width = w;
}

/* Precision: '.' then digits or '*'. A bare '.' means 0 and a negative
 * '*' precision means none was given. */
static void parse_precision(const char **p, struct spec *sp, va_list *ap)
{
	int pr;

	sp->prec = -1;
	if (**p != '.')
		return;
	(*p)++;
	if (**p != '*') {
		sp->prec = parse_decimal(p);
		return;
	}
	(*p)++;
	pr = va_arg(*ap, int);
	sp->prec = pr < 0 ? -1 : pr;
}

static void parse_length(const char **p, struct spec *sp)
{
	const char *s = *p;

	switch (*s) {
	case 'h': sp->len = s[1] == 'h' ? LEN_HH : LEN_H; break;
	case 'l': sp->len = s[1] == 'l' ? LEN_LL : LEN_L; break;
	case 'z': sp->len = LEN_Z; break;
	case 't': sp->len = LEN_T; break;
	case 'j': sp->len = LEN_J; break;
	default: sp->len = LEN_NONE; return;
	}
	*p += sp->len == LEN_HH || sp->len == LEN_LL ? 2 : 1;
}

/* Fetches a signed argument of the size the length modifier names.
 * The signed counterpart of size_t is read as ptrdiff_t (same width). */
static s64 fetch_signed(enum len_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return va_arg(*ap, ptrdiff_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

/* Fetches an unsigned argument; %t reads the unsigned counterpart of
 * ptrdiff_t as size_t (same width). */
static u64 fetch_unsigned(enum len_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return va_arg(*ap, size_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Writes the digits of v backwards, ending just before `end`. */
static size_t digits_backwards(char *end, u64 v, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = set[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

/* Pads the sign, prefix, precision zeros and digits out to the width. */
static void emit_number(struct out *o, const struct spec *sp,
			const struct num_parts *n)
{
	size_t plen = strlen(n->prefix);
	size_t body = (n->sign != 0) + plen + n->zeros + n->ndigits;
	size_t width = (size_t)sp->width;
	size_t pad = width > body ? width - body : 0;
	bool left = sp->flags & FL_LEFT;
	bool zero_pad = !left && (sp->flags & FL_ZERO) && sp->prec < 0;

	if (!left && !zero_pad)
		out_repeat(o, ' ', pad);
	if (n->sign)
		out_char(o, n->sign);
	out_mem(o, n->prefix, plen);
	out_repeat(o, '0', n->zeros + (zero_pad ? pad : 0));
	out_mem(o, n->digits, n->ndigits);
	if (left)
		out_repeat(o, ' ', pad);
}

static unsigned conv_base(char conv)
{
	if (conv == 'o')
		return 8;
	if (conv == 'x' || conv == 'X' || conv == 'p')
		return 16;
	return 10;
}

/* Formats the magnitude `mag` with an already chosen sign character. */
static void format_integer(struct out *o, const struct spec *sp, u64 mag,
			   char sign)
{
	char tmp[24];
	unsigned base = conv_base(sp->conv);
	bool alt = sp->flags & FL_ALT;
	struct num_parts n = { .sign = sign, .prefix = "" };
	size_t prec = sp->prec < 0 ? 1 : (size_t)sp->prec;

	if (mag != 0 || prec != 0)
		n.ndigits = digits_backwards(tmp + sizeof(tmp), mag, base,
					     sp->conv == 'X');
	n.digits = tmp + sizeof(tmp) - n.ndigits;
	n.zeros = prec > n.ndigits ? prec - n.ndigits : 0;
	/* '#' with %o: the first digit must be a zero. */
	if (base == 8 && alt && n.zeros == 0 && (mag != 0 || n.ndigits == 0))
		n.zeros = 1;
	if (base == 16 && alt && mag != 0)
		n.prefix = sp->conv == 'X' ? "0X" : "0x";
	emit_number(o, sp, &n);
}

/* The sign character a non-negative signed value gets from the flags. */
static char plus_sign(u32 flags)
{
	if (flags & FL_PLUS)
		return '+';
	if (flags & FL_SPACE)
		return ' ';
	return '\0';
}

static void format_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	s64 v = fetch_signed(sp->len, ap);

	if (v < 0)
		format_integer(o, sp, -(u64)v, '-');
	else
		format_integer(o, sp, (u64)v, plus_sign(sp->flags));
}

static void format_unsigned(struct out *o, const struct spec *sp,
			    va_list *ap)
{
	format_integer(o, sp, fetch_unsigned(sp->len, ap), '\0');
}

/* Copies n bytes of text padded with blanks to the field width. */
static void emit_text(struct out *o, const struct spec *sp, const char *s,
		      size_t n)
{
	size_t width = (size_t)sp->width;
	size_t pad = width > n ? width - n : 0;

	if (!(sp->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_string(struct out *o, const struct spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);

	if (!s)
		s = "(null)";
	emit_text(o, sp, s, sp->prec < 0 ? strlen(s) : strnlen(s, sp->prec));
}

static void format_char(struct out *o, const struct spec *sp, va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	emit_text(o, sp, &c, 1);
}

/* %p: "(nil)" for NULL, otherwise like %#lx (glibc keeps '+' and ' '). */
static void format_pointer(struct out *o, const struct spec *sp,
			   va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);
	struct spec hex = *sp;

	if (!v) {
		emit_text(o, sp, "(nil)", 5);
		return;
	}
	hex.flags |= FL_ALT;
	format_integer(o, &hex, v, plus_sign(sp->flags));
}

/* Formats one parsed conversion; false when the conversion is unknown. */
static bool format_conversion(struct out *o, const struct spec *sp,
			      va_list *ap)
{
	switch (sp->conv) {
	case 'd':
	case 'i':
		format_signed(o, sp, ap);
		return true;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		format_unsigned(o, sp, ap);
		return true;
	case 'p':
		format_pointer(o, sp, ap);
		return true;
	case 's':
		format_string(o, sp, ap);
		return true;
	case 'c':
		format_char(o, sp, ap);
		return true;
	case '%':
		out_char(o, '%');
		return true;
	default:
		return false;
	}
}

/* Handles the conversion starting at `pct` (a '%'); returns where the
 * literal text after it begins. */
static const char *format_one(struct out *o, const char *pct, va_list *ap)
{
	struct spec sp = { 0 };
	const char *p = pct + 1;

	parse_flags(&p, &sp);
	parse_width(&p, &sp, ap);
	parse_precision(&p, &sp, ap);
	parse_length(&p, &sp);
	sp.conv = *p;
	if (!sp.conv) {
		out_mem(o, pct, (size_t)(p - pct));
		return p;
	}
	if (!format_conversion(o, &sp, ap))
		out_mem(o, pct, (size_t)(p + 1 - pct));
	return p + 1;
}

static const char *next_percent(const char *s)
{
	while (*s && *s != '%')
		s++;
	return s;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	va_list aq;

	/* A va_list parameter may be an array that decayed to a pointer,
	 * so take the address of a local copy instead. */
	va_copy(aq, ap);
	while (*fmt) {
		const char *pct = next_percent(fmt);

		out_mem(&o, fmt, (size_t)(pct - fmt));
		if (!*pct)
			break;
		fmt = format_one(&o, pct, &aq);
	}
	va_end(aq);
	if (size)
		buf[MIN(o.len, size - 1)] = '\0';
	return o.len > PRINTF_INT_MAX ? -1 : (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
