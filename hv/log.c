#include "hv/log.h"
#include "hv/console.h"
#include "hv/log_ring.h"
#include "lib/printf.h"
#include "lib/string.h"

#define LOG_LINE_MAX 512

static enum log_level current_level = LOG_INFO;

static char ring_buf[LOG_RING_SIZE];
struct log_ring hv_log_ring = { ring_buf, sizeof(ring_buf), 0 };
static bool ring_mid_line; /* the ring's last line has no newline yet */

static const char *const level_names[] = { "err", "warn", "info", "debug" };
static const char *const level_prefix[] = { "error: ", "warning: ", "", "debug: " };

void log_set_level(enum log_level level)
{
	current_level = level;
}

bool log_parse_level(const char *s, enum log_level *out)
{
	for (u32 i = 0; i < ARRAY_SIZE(level_names); i++) {
		if (!strcmp(s, level_names[i]) ||
		    (s[0] == (char)('0' + i) && !s[1])) {
			*out = (enum log_level)i;
			return true;
		}
	}
	return false;
}

/* What reaches the console goes into the ring too, each line behind
 * "<N>", N its level (hv_printf's text counts as info). */
static void log_out(enum log_level level, const char *s, size_t n)
{
	const char tag[3] = { '<', (char)('0' + level), '>' };

	console_write(s, n);
	while (n) {
		size_t len = 0;

		while (len < n && s[len++] != '\n')
			;
		if (!ring_mid_line)
			log_ring_write(&hv_log_ring, tag, sizeof(tag));
		log_ring_write(&hv_log_ring, s, len);
		ring_mid_line = s[len - 1] != '\n';
		s += len;
		n -= len;
	}
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	size_t n;

	if (level > current_level)
		return;
	n = hv_snprintf(line, sizeof(line), "%s", level_prefix[level]);
	va_start(ap, fmt);
	hv_vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	line[n++] = '\n';
	log_out(level, line, n);
}

void hv_printf(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_out(LOG_INFO, line, strlen(line));
}
