/*
 * bench-import.c — `pdvault import` of N generated records (4 fields: email,
 * first name, last name, city) against a raw SQLite program inserting N rows
 * of the same bytes per record, with the same durability settings (WAL,
 * synchronous=FULL) and batch size (20,000 rows per transaction); then
 * in-process lookups by email on the store the import built, with their
 * audit entries committed in groups.
 *
 * Targets (printed, never asserted): import at least 40,000 records/s and
 * at least 0.5x the raw rate; peak memory of the import under 100 MiB;
 * find at least 50,000 lookups/s.
 *
 * Usage: bench-import PDVAULT_BINARY [N]   (N defaults to 1,000,000)
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pdv/decl.h"
#include "pdv/vault.h"

extern char **environ;

#define BATCH 20000
#define LOOKUPS 100000

static const char decl_text[] =
    "pdvault: 1\n"
    "controller:\n"
    "  name: Bench SAS\n  address: 1 rue de la Paix, 75002 Paris, France\n"
    "  email: contact@bench.example\n  country: FR\n"
    "  dpo: {name: DPO, email: dpo@bench.example}\n  authority: cnil\n"
    "  languages: [fr]\n"
    "rights: {channels: [email], response: 1mo, extension: 2mo,\n"
    "         id_document: {ask: reasonable-doubt, retention: 1y from request-closed}}\n"
    "security: [{fr: Chiffrement}]\n"
    "roles: [{id: sales, name: {fr: Ventes}}]\n"
    "activities:\n"
    "  - id: customers\n"
    "    name: {fr: Clients}\n"
    "    purposes: [{fr: Gérer la relation client}]\n"
    "    basis: contract\n"
    "    subjects: [customer]\n"
    "    source: data-subject\n"
    "    fields:\n"
    "      - {name: email, category: user.contact.email, type: email, required: true, lookup: "
    "email}\n"
    "      - {name: first_name, category: user.name.first}\n"
    "      - {name: last_name, category: user.name.last}\n"
    "      - {name: city, category: user.contact.address.city}\n"
    "    retention: {active: 3y from last-contact, end: delete}\n"
    "    access: [sales]\n";

static const char *const firsts[] = {"Jeanne", "Paul",  "Léa",  "Hugo",
                                     "Chloé",  "Louis", "Inès", "Jules"};
static const char *const lasts[] = {"Martin", "Bernard", "Dubois", "Thomas",
                                    "Robert", "Richard", "Petit",  "Durand"};
static const char *const cities[] = {"Paris",  "Lyon",     "Marseille", "Lille",
                                     "Nantes", "Bordeaux", "Toulouse",  "Roubaix"};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void row(long i, char *buf, size_t size, const char **f, const char **l, const char **c)
{
	*f = firsts[i % 8];
	*l = lasts[(i / 8) % 8];
	*c = cities[(i / 64) % 8];
	snprintf(buf, size, "person%ld@example.org", i);
}

/* the bytes a record holds in the vault: per field, name and sealed value */
static size_t vault_bytes(const char *email, const char *f, const char *l, const char *c)
{
	const char *names[4] = {"email", "first_name", "last_name", "city"};
	const char *vals[4] = {email, f, l, c};
	size_t n = 0;

	for (int i = 0; i < 4; i++)
		n += 1 + strlen(names[i]) + 4 + 24 + strlen(vals[i]) + 16;
	return n;
}

static int raw_sqlite(const char *path, long n, double bytes_per_row, double *ret_rate)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char *blob;
	size_t len = (size_t)(bytes_per_row + 0.5);
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db,
	             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;"
	             "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL);",
	             NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "INSERT INTO t (data) VALUES (?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	blob = malloc(len);
	for (size_t i = 0; i < len; i++)
		blob[i] = (unsigned char)(i * 131 + 7);
	t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (i % BATCH == 0)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		blob[0] = (unsigned char)i; /* each row its own bytes */
		sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
		sqlite3_reset(st);
		if (i % BATCH == BATCH - 1 || i == n - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	*ret_rate = n / (now_s() - t0);
	free(blob);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/pdv-bench-XXXXXX", path[512], email[64], bin[4096];
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	double total_bytes = 0, t0, import_s, raw_rate, find_rate;
	struct rusage ru;
	pid_t pid;
	int status;
	FILE *f;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: bench-import PDVAULT_BINARY [N]\n");
		return 2;
	}
	if (!mkdtemp(dir))
		return 3;
	/* the binary is named from here; the runs happen in dir */
	if (!realpath(argv[1], bin)) {
		fprintf(stderr, "bench-import: no binary '%s'\n", argv[1]);
		return 2;
	}
	argv[1] = bin;
	snprintf(path, sizeof(path), "%s/pdvault.yaml", dir);
	f = fopen(path, "w");
	fputs(decl_text, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/in.csv", dir);
	f = fopen(path, "w");
	fputs("email,first_name,last_name,city\n", f);
	for (long i = 0; i < n; i++) {
		const char *fi, *la, *ci;

		row(i, email, sizeof(email), &fi, &la, &ci);
		fprintf(f, "%s,%s,%s,%s\n", email, fi, la, ci);
		total_bytes += vault_bytes(email, fi, la, ci);
	}
	fclose(f);
	printf("bench-import: %ld records of 4 fields, %.0f bytes each in the vault\n", n,
	       total_bytes / n);

	/* pdvault init, then import, as a user runs them */
	if (chdir(dir) < 0)
		return 3;
	setenv("PDVAULT_CONFIG", "pdvault.yaml", 1);
	{
		char *init_argv[] = {argv[1], "init", NULL};
		char *imp_argv[] = {argv[1], "import", "customers", "in.csv", NULL};
		posix_spawn_file_actions_t fa;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		if (posix_spawn(&pid, argv[1], &fa, NULL, init_argv, environ) != 0 ||
		    waitpid(pid, &status, 0) < 0 || status != 0) {
			fprintf(stderr, "bench-import: pdvault init failed\n");
			return 3;
		}
		t0 = now_s();
		if (posix_spawn(&pid, argv[1], &fa, NULL, imp_argv, environ) != 0 ||
		    waitpid(pid, &status, 0) < 0 || status != 0) {
			fprintf(stderr, "bench-import: pdvault import failed\n");
			return 3;
		}
		import_s = now_s() - t0;
		posix_spawn_file_actions_destroy(&fa);
	}
	getrusage(RUSAGE_CHILDREN, &ru);

	if (raw_sqlite("raw.db", n, total_bytes / n, &raw_rate) < 0) {
		fprintf(stderr, "bench-import: raw SQLite failed\n");
		return 3;
	}

	/* in-process lookups, their audit entries committed in groups */
	{
		struct pdv_decl *d;
		struct pdv_vault *v;
		struct pdv_session *s = NULL;
		struct pdv_error err;
		char subject[PDV_ID_MAX];
		struct pdv_vault_opts o = {.db_url = "sqlite:pdvault.db",
		                           .key_file = "pdvault.key",
		                           .actor = "bench",
		                           .now = 1767225600};
		long found = 0;

		if (pdv_decl_load_file("pdvault.yaml", &d, &err) < 0)
			return 3;
		o.decl = d;
		if (pdv_vault_open(&o, &v, &err) < 0 || pdv_session_open(v, &s, &err) < 0) {
			fprintf(stderr, "bench-import: %s\n", err.msg);
			return 3;
		}
		t0 = now_s();
		for (long i = 0; i < LOOKUPS; i++) {
			if (i % BATCH == 0 && pdv_session_batch_begin(s, &err) < 0)
				return 3;
			snprintf(email, sizeof(email), "person%ld@example.org", (i * 7919) % n);
			if (pdv_find(s, "email", email, subject, &err) < 0)
				return 3;
			found += subject[0] != '\0';
			if ((i % BATCH == BATCH - 1 || i == LOOKUPS - 1) &&
			    pdv_session_batch_commit(s, &err) < 0)
				return 3;
		}
		find_rate = LOOKUPS / (now_s() - t0);
		if (found != LOOKUPS)
			fprintf(stderr, "bench-import: only %ld of %d lookups found\n", found,
			        LOOKUPS);
		pdv_session_close(s);
		pdv_vault_close(v);
		pdv_decl_free(d);
	}

	printf("import:   %8.0f records/s  (%.1f s; target >= 40000)\n", n / import_s, import_s);
	printf("raw:      %8.0f rows/s     (same bytes, WAL, synchronous=FULL, %d per commit)\n",
	       raw_rate, BATCH);
	printf("ratio:    %8.2f x raw     (target >= 0.5)\n", (n / import_s) / raw_rate);
	printf("memory:   %8.1f MiB peak  (import process; target < 100)\n", ru.ru_maxrss / 1024.0);
	printf(
	    "find:     %8.0f lookups/s (%d on %ld subjects, audited in groups; target >= 50000)\n",
	    find_rate, LOOKUPS, n);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-import: could not remove %s\n", dir);
	}
	return 0;
}
