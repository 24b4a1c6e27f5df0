/*
 * servers.c — the PostgreSQL backend's view of the other processes on the
 * vault (docs/internals/multi-server.md): a server's connections carry the
 * application_name "pdvault-serve:SCHEMA" (set again after a reconnection),
 * which pg_stat_activity shows to key rotate and migrate; the sweep lock is
 * a session advisory lock, so a sweeper killed with -9 releases it with its
 * connection.
 */
#include "pg-internal.h"

int pg_announce(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc = pg_done(s, PDV_SQL_SERVE_ANNOUNCE, NULL, "naming the server's connection", err);

	if (rc == 0)
		s->announced = true;
	return rc;
}

int pg_servers(struct pdv_store_impl *s, int64_t *ret_n, struct pdv_error *err)
{
	return pg_scalar(s, PDV_SQL_SERVE_COUNT, NULL, ret_n, "counting the servers connected",
	                 err);
}

int pg_sweep_try_lock(struct pdv_store_impl *s, bool *ret_got, struct pdv_error *err)
{
	int64_t got = 0;
	int rc = pg_scalar(s, PDV_SQL_SWEEP_TRY_LOCK, NULL, &got, "taking the sweep lock", err);

	*ret_got = rc == 0 && got == 1;
	return rc;
}

void pg_sweep_unlock(struct pdv_store_impl *s)
{
	int64_t released;

	(void)pg_scalar(s, PDV_SQL_SWEEP_UNLOCK, NULL, &released, "releasing the sweep lock", NULL);
}

/* codes sent per address (--verify-per-email): the caller's write
 * transaction holds the vault's writer lock (an advisory lock every server
 * takes), so the count and the insert are one step for every server */
int pg_verify_send_take(struct pdv_store_impl *s, const uint8_t index[32], int64_t now,
                        int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err)
{
	struct pg_params p = {0};
	int64_t n = 0;
	int rc;

	*ret_ok = false;
	pp_int(&p, since);
	if ((rc = pg_done(s, PDV_SQL_VERIFY_SENDS_PURGE, &p,
	                  "forgetting the codes sent an hour ago", err)) < 0)
		return rc;
	p = (struct pg_params){0};
	pp_blob(&p, index, 32);
	if ((rc = pg_scalar(s, PDV_SQL_VERIFY_SENDS_COUNT, &p, &n,
	                    "counting the codes sent to an address", err)) < 0)
		return rc;
	if (n >= cap)
		return 0;
	p = (struct pg_params){0};
	pp_blob(&p, index, 32);
	pp_int(&p, now);
	if ((rc = pg_done(s, PDV_SQL_VERIFY_SEND_INSERT, &p, "recording a code sent", err)) < 0)
		return rc;
	*ret_ok = true;
	return 0;
}
