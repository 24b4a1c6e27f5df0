/*
 * clock.c — the one place pdvault reads the time. PDVAULT_NOW
 * ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", UTC) replaces the system clock
 * everywhere, so tests and scenarios can run at any date.
 */
#include <stdlib.h>
#include <time.h>

#include "pdv/time.h"

bool pdv_clock_is_overridden(void)
{
	const char *v = getenv("PDVAULT_NOW");

	return v && *v;
}

int pdv_clock_now(pdv_time_t *ret, struct pdv_error *err)
{
	const char *v = getenv("PDVAULT_NOW");
	struct timespec ts;

	if (v && *v) {
		if (pdv_time_parse(v, ret, NULL) < 0)
			return pdv_error_set(
			    err, PDV_E_USAGE,
			    "PDVAULT_NOW must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		return 0;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot read the system clock");
	*ret = (pdv_time_t)ts.tv_sec;
	return 0;
}
