/* Leveled logging on the hypervisor console. Each log_*() call prints one
 * line (the newline is added); hv_printf() prints exactly what it is given.
 * The level is set from `loglevel=` on the command line. */
#ifndef HV_LOG_H
#define HV_LOG_H

#include "lib/types.h"

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* Every line that reaches the console, for VM 0 (HV_CALL_DMESG). */
#define LOG_RING_SIZE (16 * 1024)
extern struct log_ring hv_log_ring;

void log_set_level(enum log_level level);
/* Accepts a name (err, warn, info, debug) or a digit 0-3. */
bool log_parse_level(const char *s, enum log_level *out);

void hv_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void hv_printf(const char *fmt, ...) __printf(1, 2);

#define log_err(...) hv_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...) hv_log(LOG_WARN, __VA_ARGS__)
#define log_info(...) hv_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) hv_log(LOG_DEBUG, __VA_ARGS__)

#endif
