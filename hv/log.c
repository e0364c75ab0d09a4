#include "hv/log.h"
#include "hv/console.h"
#include "lib/printf.h"
#include "lib/string.h"

#define LOG_LINE_MAX 512

static enum log_level current_level = LOG_INFO;

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
	console_write(line, n);
}

void hv_printf(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, strlen(line));
}
