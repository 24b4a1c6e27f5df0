/*
 * bench-sweep.c — `pdvault sweep` ending N expired records (imported with a
 * collection date old enough that all are due), its rate and peak memory;
 * then the in-process export of one person with 20 records.
 *
 * Targets (printed, never asserted): the sweep ends at least 50,000
 * records/s with memory under 100 MiB; an export of a person with 20
 * records takes under 2 ms.
 *
 * Usage: bench-sweep PDVAULT_BINARY [N]   (N defaults to 1,000,000)
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdv/decl.h"
#include "pdv/vault.h"

extern char **environ;

#define EXPORTS 1000

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
    "  - id: contacts\n"
    "    name: {fr: Contacts}\n"
    "    purposes: [{fr: Répondre aux demandes}]\n"
    "    basis: legitimate-interests\n"
    "    basis_detail: {fr: Répondre au public}\n"
    "    balancing_test: true\n"
    "    subjects: [customer]\n"
    "    source: data-subject\n"
    "    fields:\n"
    "      - {name: email, category: user.contact.email, type: email, required: true, lookup: "
    "email}\n"
    "      - {name: first_name, category: user.name.first}\n"
    "      - {name: last_name, category: user.name.last}\n"
    "      - {name: message, category: pdv.user.content.message}\n"
    "    retention: {active: 1y from last-contact, end: delete}\n"
    "    access: [sales]\n";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int spawn(char *const argv[], const char *now)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	setenv("PDVAULT_NOW", now, 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
	    waitpid(pid, &status, 0) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	return status == 0 ? 0 : -1;
}

static int count_record(void *ctx, const struct pdv_shown_record *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/pdv-bench-sweep-XXXXXX", bin[4096];
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	struct rusage before, after;
	double t0, sweep_s, export_ms;
	FILE *f;

	if (argc < 2 || n <= 0 || !realpath(argv[1], bin)) {
		fprintf(stderr, "usage: bench-sweep PDVAULT_BINARY [N]\n");
		return 2;
	}
	if (!mkdtemp(dir) || chdir(dir) < 0)
		return 3;
	f = fopen("pdvault.yaml", "w");
	fputs(decl_text, f);
	fclose(f);
	f = fopen("in.csv", "w");
	fputs("email,first_name,last_name,message,_collected_at\n", f);
	for (long i = 0; i < n; i++)
		fprintf(f, "person%ld@example.org,Jeanne,Martin,Bonjour %ld,2024-01-15\n", i, i);
	/* one person with 20 records, for the export */
	for (int i = 0; i < 20; i++)
		fprintf(f, "many@example.org,Paul,Durand,Message %d,2025-06-01\n", i);
	fclose(f);
	setenv("PDVAULT_CONFIG", "pdvault.yaml", 1);
	{
		char *init_argv[] = {bin, "init", NULL};
		char *imp_argv[] = {bin, "import", "contacts", "in.csv", NULL};

		if (spawn(init_argv, "2025-06-02") < 0 || spawn(imp_argv, "2025-06-02") < 0) {
			fprintf(stderr, "bench-sweep: init or import failed\n");
			return 3;
		}
	}
	printf(
	    "bench-sweep: %ld records due (collected 2024-01-15, 1 year), 20 of one person not\n",
	    n);
	getrusage(RUSAGE_CHILDREN, &before);
	{
		char *sweep_argv[] = {bin, "sweep", NULL};

		t0 = now_s();
		if (spawn(sweep_argv, "2026-01-01") < 0) {
			fprintf(stderr, "bench-sweep: sweep failed\n");
			return 3;
		}
		sweep_s = now_s() - t0;
	}
	getrusage(RUSAGE_CHILDREN, &after);

	/* the export of the person with 20 records, in process */
	{
		struct pdv_decl *d;
		struct pdv_vault *v;
		struct pdv_session *s = NULL;
		struct pdv_error err;
		char subject[PDV_ID_MAX];
		int records = 0;
		struct pdv_vault_opts o = {.db_url = "sqlite:pdvault.db",
		                           .key_file = "pdvault.key",
		                           .actor = "bench",
		                           .now = 1767225600};

		if (pdv_decl_load_file("pdvault.yaml", &d, &err) < 0)
			return 3;
		o.decl = d;
		if (pdv_vault_open(&o, &v, &err) < 0 || pdv_session_open(v, &s, &err) < 0 ||
		    pdv_find(s, "email", "many@example.org", subject, &err) < 0 || !subject[0]) {
			fprintf(stderr, "bench-sweep: %s\n", err.msg);
			return 3;
		}
		if (pdv_session_batch_begin(s, &err) < 0)
			return 3;
		t0 = now_s();
		for (int i = 0; i < EXPORTS; i++)
			if (pdv_export(s, subject, false, count_record, &records, &err) < 0)
				return 3;
		export_ms = (now_s() - t0) * 1000 / EXPORTS;
		if (pdv_session_batch_commit(s, &err) < 0)
			return 3;
		if (records != 20 * EXPORTS)
			fprintf(stderr, "bench-sweep: %d records exported, expected %d\n", records,
			        20 * EXPORTS);
		pdv_session_close(s);
		pdv_vault_close(v);
		pdv_decl_free(d);
	}

	printf("sweep:    %8.0f records/s ended (%.1f s; target >= 50000)\n", n / sweep_s, sweep_s);
	printf("memory:   %8.1f MiB peak of the children so far (import included; target < 100)\n",
	       after.ru_maxrss / 1024.0);
	printf("export:   %8.3f ms for a person with 20 records (decrypt, audit; target < 2)\n",
	       export_ms);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-sweep: could not remove %s\n", dir);
	}
	(void)before;
	return 0;
}
