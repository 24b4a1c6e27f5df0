/*
 * audit.c — the audit log: an append-only chain of entries, each hashed
 * with the audit key (keyed BLAKE2b) over the previous entry's hash and the
 * canonical encoding of the entry:
 *
 *   "pdv-audit-1" seq(8, big-endian) at(8, big-endian)
 *   then for actor, action, subject, record, activity, purpose, detail:
 *   0x00 when absent, or 0x01 length(4, big-endian) bytes
 *
 * The first entry chains from 32 zero bytes. Entries hold ids, activity and
 * purpose, never a personal-data value, so erasing a person leaves the chain
 * whole. The head (last seq and hash) is also written, after each commit,
 * to a file beside the key file's real path: cutting entries off the end of
 * the log is then caught, since the head names an entry that is gone.
 *
 * The head file is the witness, not a copy: a write begins only when the
 * log still reaches the head this process knows (pdv_audit_witness_check),
 * so a cut log is never papered over by the next commit. The one way past a
 * real loss is pdv_audit_accept_loss: an "accept-loss" entry numbered after
 * the lost ones, chained from the last entry kept, whose detail names the
 * range ("entries F to T lost"); verify accepts that gap, and only that
 * one, and keeps reporting it. Its reason, staff free text, is sealed in
 * meta (loss_reason:SEQ) under the statistics key.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdv/buf.h"
#include "engine-internal.h"

#define HEAD_MAGIC "pdvault-audit-head 1\n"

static int put_u64(struct pdv_buf *b, uint64_t v)
{
	uint8_t x[8];

	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (56 - 8 * i));
	return pdv_buf_append(b, x, 8);
}

static int put_str(struct pdv_buf *b, const char *s)
{
	uint8_t x[5];
	size_t n;

	if (!s)
		return pdv_buf_putc(b, 0);
	n = strlen(s);
	x[0] = 1;
	for (int i = 0; i < 4; i++)
		x[1 + i] = (uint8_t)((uint32_t)n >> (24 - 8 * i));
	if (pdv_buf_append(b, x, 5) < 0)
		return PDV_E_NOMEM;
	return pdv_buf_append(b, s, n);
}

static int entry_hash(struct pdv_session *s, const uint8_t prev[PDV_HASH_LEN],
                      const struct pdv_audit_row *r, uint8_t out[PDV_HASH_LEN])
{
	struct pdv_buf b;
	const void *parts[2];
	size_t lens[2];
	int rc;

	pdv_buf_init(&b, 1u << 20);
	if (pdv_buf_puts(&b, "pdv-audit-1") < 0 || put_u64(&b, (uint64_t)r->seq) < 0 ||
	    put_u64(&b, (uint64_t)r->at) < 0 || put_str(&b, r->actor) < 0 ||
	    put_str(&b, r->action) < 0 || put_str(&b, r->subject) < 0 ||
	    put_str(&b, r->record) < 0 || put_str(&b, r->activity) < 0 ||
	    put_str(&b, r->purpose) < 0 || put_str(&b, r->detail) < 0) {
		rc = PDV_E_NOMEM;
		goto out;
	}
	parts[0] = prev;
	lens[0] = PDV_HASH_LEN;
	parts[1] = b.data;
	lens[1] = b.len;
	pdv_mac(s->vault->audit_key, 2, parts, lens, out);
	rc = 0;
out:
	pdv_buf_release(&b);
	return rc;
}

int pdv_audit_append(struct pdv_session *s, const char *action, const char *subject,
                     const char *record, const char *activity, const char *detail,
                     struct pdv_error *err)
{
	struct pdv_audit_row r = {
	    .seq = s->head_seq + 1,
	    .at = s->now,
	    .actor = s->actor,
	    .action = action,
	    .subject = subject,
	    .record = record,
	    .activity = activity,
	    .purpose = activity
	                   ? pdv_vault_purpose(s->vault, pdv_vault_activity(s->vault, activity))
	                   : NULL,
	    .detail = detail,
	};
	int rc;

	if (!s->in_tx)
		return pdv_error_set(err, PDV_E_INTERNAL, "audit entry outside a transaction");
	if (entry_hash(s, s->head_hash, &r, r.hash) < 0)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_store_audit_append(s->store, &r, err)) < 0)
		return rc;
	s->head_seq = r.seq;
	memcpy(s->head_hash, r.hash, PDV_HASH_LEN);
	s->head_dirty = true;
	return 0;
}

void pdv_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int pdv_unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		int d = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
		        : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
		                                     : -1;
		if (d < 0)
			return PDV_E_INVAL;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(d << 4);
		else
			out[i / 2] |= (uint8_t)d;
	}
	return 0;
}

int pdv_file_replace(const char *path, const void *data, size_t len, const char *what,
                     struct pdv_error *err)
{
	char tmp[4096], dir[4096];
	int fd, dfd;

	/* a temporary name of this call's own, in the file's folder (rename
	 * stays within it): processes sharing one key file write its head at
	 * once, and a fixed name opened with O_TRUNC let one truncate or rename
	 * away the file another was writing. mkstemp makes it 0600. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return pdv_error_set(err, PDV_E_IO, "%s path too long", what);
	fd = mkstemp(tmp);
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		fd = -1;
		errno = e;
	}
	if (fd < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot write %s '%s': %s", what, tmp,
		                     strerror(errno));
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return pdv_error_set(err, PDV_E_IO, "cannot write %s '%s': %s", what, tmp,
		                     strerror(e));
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return pdv_error_set(err, PDV_E_IO, "cannot write %s '%s': %s", what, path,
		                     strerror(e));
	}
	pdv_strlcpy(dir, path, sizeof(dir));
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int pdv_audit_head_write(const char *path, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                         struct pdv_error *err)
{
	char line[128], h[2 * PDV_HASH_LEN + 1];
	int n;

	pdv_hex(hash, PDV_HASH_LEN, h);
	n = snprintf(line, sizeof(line), HEAD_MAGIC "%" PRId64 " %s\n", seq, h);
	return pdv_file_replace(path, line, (size_t)n, "the audit head", err);
}

int pdv_audit_head_update(const char *path, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                          struct pdv_error *err)
{
	char line[128], h[2 * PDV_HASH_LEN + 1];
	int fd, n;

	pdv_hex(hash, PDV_HASH_LEN, h);
	n = snprintf(line, sizeof(line), HEAD_MAGIC "%" PRId64 " %s\n", seq, h);
	/* seq only grows, so the new line is never shorter than the old one */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return pdv_audit_head_write(path, seq, hash, err);
	if (pwrite(fd, line, (size_t)n, 0) != n || fdatasync(fd) < 0) {
		int e = errno;

		close(fd);
		return pdv_error_set(err, PDV_E_IO, "cannot write the audit head '%s': %s", path,
		                     strerror(e));
	}
	close(fd);
	return 0;
}

int pdv_audit_head_read(const char *path, int64_t *ret_seq, uint8_t ret_hash[PDV_HASH_LEN],
                        struct pdv_error *err)
{
	char buf[256], h[2 * PDV_HASH_LEN + 1];
	FILE *f = fopen(path, "re");
	size_t n;
	long long seq;

	if (!f)
		return pdv_error_set(err, errno == ENOENT ? PDV_E_NOTFOUND : PDV_E_IO,
		                     "cannot read the audit head '%s': %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (strncmp(buf, HEAD_MAGIC, strlen(HEAD_MAGIC)) != 0 ||
	    sscanf(buf + strlen(HEAD_MAGIC), "%lld %64s", &seq, h) != 2 || seq < 0 ||
	    strlen(h) != 2 * PDV_HASH_LEN || pdv_unhex(h, ret_hash, PDV_HASH_LEN) < 0)
		return pdv_error_set(err, PDV_E_IO, "the audit head '%s' is damaged", path);
	*ret_seq = seq;
	return 0;
}

/*
 * Every head file beside the key file but this process's own: KEYFILE.audit-
 * head and the KEYFILE.audit-head.ID of the servers that share the folder
 * (multi-server.md); on_head(ctx, name, path) for each, until it returns
 * non-zero.
 */
static int heads_beside(const struct pdv_vault *v,
                        int (*on_head)(void *ctx, const char *name, const char *path), void *ctx)
{
	char dir[4096], base[256], path[4600];
	size_t cut = v->server_id ? strlen(v->server_id) + 1 : 0, n;
	const char *slash = strrchr(v->head_path, '/'), *own;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - v->head_path), v->head_path);
	else
		pdv_strlcpy(dir, ".", sizeof(dir));
	own = slash ? slash + 1 : v->head_path;
	pdv_strlcpy(base, own, sizeof(base));
	n = strlen(base);
	if (cut >= n)
		return 0;
	n -= cut;
	base[n] = '\0'; /* KEYFILE.audit-head: the name every head starts with */
	if (!(d = opendir(dir[0] ? dir : "/")))
		return 0; /* the own head is read by its path: its absence is said there */
	while (rc == 0 && (e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (strncmp(e->d_name, base, n) != 0 || (e->d_name[n] && e->d_name[n] != '.') ||
		    (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0) ||
		    strstr(e->d_name + n, ".tmp-") || /* a head being written */
		    strcmp(e->d_name, own) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		rc = on_head(ctx, e->d_name, path);
	}
	closedir(d);
	return rc;
}

struct heads_reset {
	int64_t seq;
	const uint8_t *hash;
	struct pdv_error *err;
};

static int head_reset(void *ctx, const char *name, const char *path)
{
	struct heads_reset *r = ctx;

	(void)name;
	return pdv_audit_head_write(path, r->seq, r->hash, r->err);
}

int pdv_audit_heads_reset(const struct pdv_vault *v, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                          struct pdv_error *err)
{
	struct heads_reset r = {seq, hash, err};
	int rc = pdv_audit_head_write(v->head_path, seq, hash, err);

	return rc < 0 ? rc : heads_beside(v, head_reset, &r);
}

/* the newest readable head of the other servers beside the key file */
struct newest {
	int64_t seq;
	uint8_t hash[PDV_HASH_LEN];
	bool found;
};

static int newest_head(void *ctx, const char *name, const char *path)
{
	struct newest *n = ctx;
	int64_t seq;
	uint8_t hash[PDV_HASH_LEN];

	(void)name;
	if (pdv_audit_head_read(path, &seq, hash, NULL) == 0 && (!n->found || seq > n->seq)) {
		n->seq = seq;
		memcpy(n->hash, hash, PDV_HASH_LEN);
		n->found = true;
	}
	return 0;
}

int pdv_audit_head_load(const struct pdv_vault *v, int64_t *ret_seq, uint8_t ret_hash[PDV_HASH_LEN],
                        struct pdv_error *err)
{
	struct newest n = {0};
	int rc = pdv_audit_head_read(v->head_path, ret_seq, ret_hash, err);

	if (rc == PDV_E_NOTFOUND && v->head_link_path) {
		pdv_error_clear(err);
		rc = pdv_audit_head_read(v->head_link_path, ret_seq, ret_hash, err);
		if (rc == PDV_E_NOTFOUND)
			pdv_error_set(err, rc, "the audit head file '%s' is missing", v->head_path);
	}
	/* a server that has not written yet starts from the newest head of the
	 * others beside the key file (the one init wrote, at least) */
	if (rc == PDV_E_NOTFOUND && v->server_id && heads_beside(v, newest_head, &n) == 0 &&
	    n.found) {
		pdv_error_clear(err);
		*ret_seq = n.seq;
		memcpy(ret_hash, n.hash, PDV_HASH_LEN);
		rc = 0;
	}
	return rc;
}

/* "entries F to T lost" or "entries from F lost (...)": the range an
 * accept-loss entry names; to 0 when the end is not known */
static bool loss_named(const struct pdv_audit_row *r, int64_t *from, int64_t *to)
{
	long long f, t;

	if (!r->action || strcmp(r->action, "accept-loss") != 0 || !r->detail)
		return false;
	if (sscanf(r->detail, "entries %lld to %lld lost", &f, &t) == 2 && f > 0 && t >= f) {
		*from = f;
		*to = t;
		return true;
	}
	if (sscanf(r->detail, "entries from %lld lost", &f) == 1 && f > 0) {
		*from = f;
		*to = 0;
		return true;
	}
	return false;
}

/* the log from the witness's entry on: that entry, then a valid chain */
struct reach_ctx {
	struct pdv_session *s;
	int64_t expect;
	uint8_t prev[PDV_HASH_LEN];
	int64_t bad;
	const char *why;
};

static int reach_one(void *ctx, const struct pdv_audit_row *r)
{
	struct reach_ctx *c = ctx;
	uint8_t h[PDV_HASH_LEN];

	if (r->seq != c->expect) {
		int64_t from, to, k = c->s->vault->known_seq;

		/* the head names an entry of a loss another server accepted: the
		 * accept-loss entry (keyed: not forgeable) stands for it, and the
		 * chain goes on from there (multi-server.md) */
		if (c->expect == k && r->seq > k && loss_named(r, &from, &to) && from <= k &&
		    k <= to && r->seq == to + 1) {
			memcpy(c->prev, r->hash, PDV_HASH_LEN);
			c->expect = r->seq + 1;
			return 0;
		}
		c->bad = c->expect;
		c->why = "is missing";
		return 1;
	}
	if (c->expect == c->s->vault->known_seq) {
		/* the entry the head names: its hash is the head's */
		if (!pdv_equal(r->hash, c->s->vault->known_hash, PDV_HASH_LEN)) {
			c->bad = r->seq;
			c->why = "is not the one the audit head file names";
			return 1;
		}
	} else {
		if (entry_hash(c->s, c->prev, r, h) < 0)
			return PDV_E_NOMEM;
		if (!pdv_equal(h, r->hash, PDV_HASH_LEN)) {
			c->bad = r->seq;
			c->why = "does not match its hash";
			return 1;
		}
	}
	memcpy(c->prev, r->hash, PDV_HASH_LEN);
	c->expect++;
	return 0;
}

/* pdv_audit_witness_check, with the vault's witness_lock held */
static int witness_check_locked(struct pdv_session *s, int64_t seq,
                                const uint8_t hash[PDV_HASH_LEN], struct pdv_error *err)
{
	struct reach_ctx c = {.s = s};
	struct pdv_error e2;
	int64_t fseq;
	uint8_t fhash[PDV_HASH_LEN];
	int rc;

	if (s->trust_log)
		return 0;
	if (!s->vault->others_asked) {
		/* a server with its own --server-id, restarted on the store a
		 * migrate left: its head is reached, the migrate's is not */
		struct newest n = {0};

		if (heads_beside(s->vault, newest_head, &n) == 0 && n.found && n.seq > seq &&
		    (rc = pdv_migrate_moved(s->vault, seq, hash, err)) < 0)
			return rc;
		s->vault->others_asked = true;
	}
	if (!s->vault->known_missing && seq == s->vault->known_seq &&
	    pdv_equal(hash, s->vault->known_hash, PDV_HASH_LEN))
		return 0;
	/* another process wrote since (or something is wrong): the head file
	 * may name a later entry than the one this process knows */
	pdv_error_clear(&e2);
	rc = pdv_audit_head_load(s->vault, &fseq, fhash, &e2);
	if (rc == 0 && (s->vault->known_missing || fseq > s->vault->known_seq)) {
		s->vault->known_seq = fseq;
		memcpy(s->vault->known_hash, fhash, PDV_HASH_LEN);
		s->vault->known_missing = false;
	} else if (rc < 0 && rc != PDV_E_NOTFOUND) {
		return pdv_error_set(err, PDV_E_INTEGRITY,
		                     "%s: writes are refused until the loss is accepted "
		                     "(pdvault audit accept-loss)",
		                     e2.msg);
	}
	if (s->vault->known_missing) {
		if (seq == 0)
			return 0; /* an empty log: nothing to witness yet */
		return pdv_error_set(err, PDV_E_INTEGRITY,
		                     "the audit head file '%s' is missing: entries cut off the log "
		                     "after %" PRId64
		                     " cannot be ruled out; writes are refused until "
		                     "the loss is accepted (pdvault audit accept-loss)",
		                     s->vault->head_path, seq);
	}
	if (seq < s->vault->known_seq) {
		/* behind the head: a store the vault left by a migrate says so */
		if ((rc = pdv_migrate_moved(s->vault, seq, hash, err)) < 0)
			return rc;
		return pdv_error_set(
		    err, PDV_E_INTEGRITY,
		    "the audit log was cut: entry %" PRId64 " is missing (the head "
		    "file names entry %" PRId64 "); writes are refused until the loss "
		    "is accepted (pdvault audit accept-loss)",
		    seq + 1, s->vault->known_seq);
	}
	c.expect = s->vault->known_seq > 0 ? s->vault->known_seq : 1;
	rc = pdv_store_audit_from(s->store, c.expect, reach_one, &c, err);
	if (rc == PDV_E_NOMEM)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (rc < 0)
		return rc;
	if (c.bad == 0 && c.expect != seq + 1) {
		c.bad = c.expect;
		c.why = "is missing";
	}
	if (c.bad)
		return pdv_error_set(err, PDV_E_INTEGRITY,
		                     "the audit log does not reach its head (entry %" PRId64 "): "
		                     "entry %" PRId64 " %s; writes are refused",
		                     s->vault->known_seq, c.bad, c.why);
	s->vault->known_seq = seq;
	memcpy(s->vault->known_hash, hash, PDV_HASH_LEN);
	return 0;
}

int pdv_audit_witness_check(struct pdv_session *s, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                            struct pdv_error *err)
{
	int rc;

	/* the witness is the vault's: every session's commit moves it */
	pthread_mutex_lock(&s->vault->witness_lock);
	rc = witness_check_locked(s, seq, hash, err);
	pthread_mutex_unlock(&s->vault->witness_lock);
	return rc;
}

int pdv_audit_witness_now(struct pdv_session *s, struct pdv_error *err)
{
	int64_t seq;
	uint8_t hash[PDV_HASH_LEN];
	int rc = pdv_store_audit_last(s->store, &seq, hash, err);

	return rc < 0 ? rc : pdv_audit_witness_check(s, seq, hash, err);
}

static void loss_reason_ad(int64_t seq, char name[40], uint8_t *ad, size_t *ad_len)
{
	int n = snprintf(name, 40, "loss_reason:%" PRId64, seq);

	memcpy(ad, "pdv-loss-reason", sizeof("pdv-loss-reason"));
	memcpy(ad + sizeof("pdv-loss-reason"), name, (size_t)n);
	*ad_len = sizeof("pdv-loss-reason") + (size_t)n;
}

int pdv_audit_accept_loss(struct pdv_session *s, const char *reason, struct pdv_loss_out *ret,
                          struct pdv_error *err)
{
	struct pdv_error why;
	int64_t seq, entry, known_seq;
	bool known_missing;
	uint8_t hash[PDV_HASH_LEN], ad[64], sealed[PDV_LOSS_REASON_MAX + PDV_SEAL_OVERHEAD];
	char name[40], detail[96];
	size_t n = reason ? strlen(reason) : 0, ad_len;
	int rc;

	if (n == 0 || n > PDV_LOSS_REASON_MAX) {
		pdv_error_set(err, PDV_E_INVAL, "the reason is 1 to %d bytes", PDV_LOSS_REASON_MAX);
		pdv_error_field(err, "reason");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_store_audit_last(s->store, &seq, hash, err)) < 0)
		return rc;
	pdv_error_clear(&why);
	rc = pdv_audit_witness_check(s, seq, hash, &why);
	if (rc == 0)
		return pdv_error_set(
		    err, PDV_E_REFUSED,
		    "nothing to accept: the audit log reaches its head (entry %" PRId64 ")", seq);
	if (rc != PDV_E_INTEGRITY) {
		if (err)
			*err = why;
		return rc;
	}
	memset(ret, 0, sizeof(*ret));
	pthread_mutex_lock(&s->vault->witness_lock);
	known_missing = s->vault->known_missing;
	known_seq = s->vault->known_seq;
	pthread_mutex_unlock(&s->vault->witness_lock);
	if (known_missing) {
		ret->from = seq + 1; /* what came after the last entry kept is not known */
		entry = seq + 1;
		snprintf(detail, sizeof(detail),
		         "entries from %" PRId64 " lost (no audit head file)", ret->from);
	} else if (seq < known_seq) {
		ret->from = seq + 1;
		ret->to = known_seq;
		entry = known_seq + 1; /* the lost numbers are not reused */
		snprintf(detail, sizeof(detail), "entries %" PRId64 " to %" PRId64 " lost",
		         ret->from, ret->to);
	} else {
		/* the entries are there but do not chain to the head: altered, not lost */
		return pdv_error_set(
		    err, PDV_E_INTEGRITY,
		    "%s; accept-loss accepts only entries cut off the end of the log", why.msg);
	}
	s->trust_log = true;
	rc = pdv_session_tx_begin(s, err);
	s->trust_log = s->vault->trust_log;
	if (rc < 0)
		return rc;
	s->head_seq = entry - 1; /* chained from the last entry kept */
	loss_reason_ad(entry, name, ad, &ad_len);
	if ((rc = pdv_seal(s->vault->stats_key, ad, ad_len, reason, n, sealed, err)) < 0 ||
	    (rc = pdv_store_meta_put(s->store, name, sealed, n + PDV_SEAL_OVERHEAD, err)) < 0 ||
	    (rc = pdv_audit_append(s, "accept-loss", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	ret->entry = entry;
	return pdv_session_tx_commit(s, err);
}

/* a head file of another server beside the key file (multi-server.md) */
#define OTHER_HEADS_MAX 64

struct other_head {
	char name[256]; /* the file's name in the key file's folder */
	int64_t seq;
	uint8_t hash[PDV_HASH_LEN];
	bool seen;
};

struct verify_ctx {
	struct pdv_session *s;
	struct pdv_audit_report *rep;
	uint8_t prev[PDV_HASH_LEN];
	int64_t expect;
	int64_t head_seq;
	uint8_t head_hash[PDV_HASH_LEN];
	bool head_seen;
	bool have_head;
	struct other_head *others;
	size_t n_others;
};

/* verify: each other head read into the list; a damaged one is a finding */
static int other_head(void *ctx, const char *name, const char *path)
{
	struct verify_ctx *c = ctx;
	struct other_head *h = &c->others[c->n_others];
	struct pdv_error e2;

	if (c->n_others >= OTHER_HEADS_MAX || strlen(name) >= sizeof(h->name))
		return 0;
	pdv_strlcpy(h->name, name, sizeof(h->name));
	pdv_error_clear(&e2);
	if (pdv_audit_head_read(path, &h->seq, h->hash, &e2) < 0) {
		if (!c->rep->first_bad) {
			c->rep->first_bad = 1;
			pdv_strlcpy(c->rep->why, e2.msg, sizeof(c->rep->why));
		}
		return 0;
	}
	c->n_others++;
	return 0;
}

/* the entry r against the other heads: the one naming its seq must name its hash */
static bool others_match(struct verify_ctx *c, const struct pdv_audit_row *r)
{
	for (size_t i = 0; i < c->n_others; i++) {
		struct other_head *h = &c->others[i];

		if (h->seq != r->seq)
			continue;
		if (!pdv_equal(r->hash, h->hash, PDV_HASH_LEN)) {
			c->rep->first_bad = r->seq;
			snprintf(c->rep->why, sizeof(c->rep->why),
			         "entry %" PRId64 " is not the one the head file '%s' names",
			         r->seq, h->name);
			return false;
		}
		h->seen = true;
	}
	return true;
}

/* during the walk: the loss is listed; its reason is read after it */
static void loss_add(struct verify_ctx *c, const struct pdv_audit_row *r, int64_t from, int64_t to)
{
	struct pdv_audit_loss *l;

	if (c->rep->n_losses++ >= PDV_AUDIT_LOSSES_MAX)
		return; /* counted, not listed */
	l = &c->rep->losses[c->rep->n_losses - 1];
	l->from = from;
	l->to = to;
	l->entry = r->seq;
	l->at = r->at;
}

/* the reason of a listed loss, sealed in meta by accept-loss (none: has_reason false) */
static void loss_reason(struct pdv_session *s, struct pdv_audit_loss *l)
{
	uint8_t sealed[PDV_LOSS_REASON_MAX + PDV_SEAL_OVERHEAD], ad[64];
	char name[40];
	size_t n, ad_len;

	loss_reason_ad(l->entry, name, ad, &ad_len);
	if (pdv_store_meta_get(s->store, name, sealed, sizeof(sealed), &n, NULL) == 0 &&
	    n > PDV_SEAL_OVERHEAD &&
	    pdv_open(s->vault->stats_key, ad, ad_len, sealed, n, (uint8_t *)l->reason, NULL) == 0) {
		l->reason[n - PDV_SEAL_OVERHEAD] = '\0';
		l->has_reason = true;
	}
}

static int verify_one(void *ctx, const struct pdv_audit_row *r)
{
	struct verify_ctx *c = ctx;
	uint8_t h[PDV_HASH_LEN];
	int64_t from, to;
	bool loss = loss_named(r, &from, &to);

	c->rep->entries++;
	if (r->seq != c->expect &&
	    !(loss && r->seq > c->expect && from == c->expect && to == r->seq - 1)) {
		/* only the gap an accept-loss entry names right after it is allowed */
		c->rep->first_bad = c->expect;
		snprintf(c->rep->why, sizeof(c->rep->why),
		         r->seq > c->expect ? "entry %" PRId64 " is missing"
		                            : "entry %" PRId64 " is out of order",
		         c->expect);
		return 1;
	}
	if (entry_hash(c->s, c->prev, r, h) < 0)
		return PDV_E_NOMEM;
	if (!pdv_equal(h, r->hash, PDV_HASH_LEN)) {
		c->rep->first_bad = r->seq;
		snprintf(c->rep->why, sizeof(c->rep->why),
		         "entry %" PRId64 " does not match its hash (modified, inserted or moved)",
		         r->seq);
		return 1;
	}
	if (c->have_head && r->seq == c->head_seq) {
		if (!pdv_equal(r->hash, c->head_hash, PDV_HASH_LEN)) {
			c->rep->first_bad = r->seq;
			snprintf(c->rep->why, sizeof(c->rep->why),
			         "entry %" PRId64 " is not the one the head file names", r->seq);
			return 1;
		}
		c->head_seen = true;
	}
	if (!others_match(c, r))
		return 1;
	if (loss)
		loss_add(c, r, from, to);
	memcpy(c->prev, r->hash, PDV_HASH_LEN);
	c->expect = r->seq + 1;
	return 0;
}

/* whether entry seq is in a loss the log accepted (a head naming it is covered) */
static bool in_loss(const struct pdv_audit_report *rep, int64_t seq)
{
	for (size_t i = 0; i < rep->n_losses && i < PDV_AUDIT_LOSSES_MAX; i++)
		if (seq >= rep->losses[i].from &&
		    (rep->losses[i].to == 0 || seq <= rep->losses[i].to))
			return true;
	return false;
}

/* a whole chain that ends before an entry a head file names */
static bool behind_a_head(const struct verify_ctx *c)
{
	int64_t last = c->expect - 1;

	if (c->have_head && c->head_seq > last)
		return true;
	for (size_t i = 0; i < c->n_others; i++)
		if (c->others[i].seq > last)
			return true;
	return false;
}

int pdv_audit_verify(struct pdv_session *s, struct pdv_audit_report *ret, struct pdv_error *err)
{
	struct verify_ctx c = {.s = s, .rep = ret, .expect = 1};
	int rc;

	memset(ret, 0, sizeof(*ret));
	rc = pdv_audit_head_load(s->vault, &c.head_seq, c.head_hash, err);
	if (rc == 0)
		c.have_head = true;
	else if (rc != PDV_E_NOTFOUND)
		return rc;
	pdv_error_clear(err);
	if (!(c.others = calloc(OTHER_HEADS_MAX, sizeof(*c.others))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	heads_beside(s->vault, other_head, &c);
	ret->heads = c.n_others + (c.have_head ? 1 : 0);
	if (ret->first_bad) { /* a damaged head file of another server */
		free(c.others);
		return 0;
	}
	rc = pdv_store_audit_each(s->store, NULL, verify_one, &c, err);
	/* whole, but ending before a head: a store a migrate left says so */
	if (rc == 0 && !ret->first_bad && behind_a_head(&c))
		rc = pdv_migrate_moved(s->vault, c.expect - 1, c.prev, err);
	if (rc < 0) {
		free(c.others);
		return rc;
	}
	/* the chain is whole: does it reach every other server's head? */
	for (size_t i = 0; rc == 0 && i < c.n_others; i++) {
		if (c.others[i].seen || c.others[i].seq == 0 || in_loss(ret, c.others[i].seq))
			continue;
		ret->first_bad = c.expect;
		snprintf(ret->why, sizeof(ret->why),
		         "entries from %" PRId64 " to %" PRId64 " were cut off (the head file '%s' "
		         "names entry %" PRId64 ")",
		         c.expect, c.others[i].seq, c.others[i].name, c.others[i].seq);
		rc = 1;
	}
	free(c.others);
	for (size_t i = 0; i < ret->n_losses && i < PDV_AUDIT_LOSSES_MAX; i++)
		loss_reason(s, &ret->losses[i]);
	if (rc == 0) {
		/* the chain is whole: does it reach the head? */
		if (!c.have_head) {
			if (c.expect > 1) {
				ret->first_bad = c.expect - 1;
				snprintf(ret->why, sizeof(ret->why),
				         "the audit head file '%s' is missing",
				         s->vault->head_path);
			}
		} else if (c.head_seq > 0 && !c.head_seen) {
			ret->first_bad = c.expect;
			snprintf(ret->why, sizeof(ret->why),
			         "entries from %" PRId64 " to %" PRId64 " were cut off", c.expect,
			         c.head_seq);
		}
	}
	ret->ok = ret->first_bad == 0;
	return 0;
}

struct list_ctx {
	struct pdv_session *s;
	pdv_audit_entry_cb cb;
	void *ctx;
};

/* the actions whose detail is the id of a breach, a request or a hold */
static bool detail_is_id(const char *action)
{
	static const char *const prefixes[] = {"breach-", "request-", "hold", "id-document"};

	for (size_t i = 0; action && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(action, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* the log keeps canonical ids (what was logged before ids were permuted
 * too); it shows them as every other output does */
static int list_one(void *ctx, const struct pdv_audit_row *r)
{
	struct list_ctx *c = ctx;
	char subject[PDV_ID_MAX], record[PDV_ID_MAX], detail[PDV_ID_MAX];
	struct pdv_audit_entry e = {
	    .seq = r->seq,
	    .at = r->at,
	    .actor = r->actor,
	    .action = r->action,
	    .subject = pdv_id_shown(c->s->vault, r->subject, subject),
	    .record = pdv_id_shown(c->s->vault, r->record, record),
	    .activity = r->activity,
	    .purpose = r->purpose,
	    .detail =
	        detail_is_id(r->action) ? pdv_id_shown(c->s->vault, r->detail, detail) : r->detail,
	};

	return c->cb(c->ctx, &e);
}

int pdv_audit_list(struct pdv_session *s, const char *subject, pdv_audit_entry_cb cb, void *ctx,
                   struct pdv_error *err)
{
	struct list_ctx c = {s, cb, ctx};
	char canon[PDV_ID_MAX];
	int rc;

	/* entries name subjects by their canonical id: either form finds them */
	subject = subject ? pdv_id_canon(s, 's', subject, canon) : NULL;
	rc = pdv_store_audit_each(s->store, subject, list_one, &c, err);

	return rc < 0 ? rc : 0;
}
