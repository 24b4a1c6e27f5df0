/*
 * cmd-show.c — `pdvault show SUBJECT`: a subject with every record, its
 * phase, its next transition and its values, decrypted. Each record read is
 * audited.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/buf.h"
#include "pdv/vault.h"

struct show_out {
	bool json;
	json_t *records;
};

static json_t *value_json(const struct pdv_shown_field *f)
{
	if (pdv_utf8_valid(f->value, f->len))
		return json_stringn(f->value, f->len);
	return json_pack("{s:I}", "bytes", (json_int_t)f->len);
}

static int show_one(void *ctx, const struct pdv_shown_record *r)
{
	struct show_out *o = ctx;
	char at[21];

	if (o->json) {
		json_t *fields = json_object();
		json_t *rec;

		for (size_t i = 0; i < r->n_fields; i++)
			json_object_set_new(fields, r->fields[i].name, value_json(&r->fields[i]));
		rec = json_pack("{s:s, s:s, s:s, s:o, s:o}", "record", r->record, "activity",
		                r->activity, "phase", r->phase, "collected_at",
		                cli_json_time(r->collected_at), "fields", fields);
		json_object_set_new(rec, "next",
		                    r->has_next ? json_pack("{s:s, s:o}", "phase", r->next_phase,
		                                            "at", cli_json_time(r->next_at))
		                                : json_null());
		json_object_set_new(rec, "held", r->held ? json_string(r->held) : json_null());
		json_array_append_new(o->records, rec);
		return 0;
	}
	pdv_time_format(r->collected_at, at);
	printf("record %s\n  activity   %s\n  phase      %s\n  collected  %s\n", r->record,
	       r->activity, r->phase, at);
	if (r->has_next) {
		pdv_time_format(r->next_at, at);
		printf("  next       %s at %s\n", r->next_phase, at);
	}
	if (r->held)
		printf("  held       %s\n",
		       strcmp(r->held, "request") == 0 ? "while a request of theirs is open"
		       : strcmp(r->held, "hold") == 0  ? "under a legal hold"
		                                       : "restricted (Art. 18)");
	for (size_t i = 0; i < r->n_fields; i++) {
		if (pdv_utf8_valid(r->fields[i].value, r->fields[i].len))
			printf("  %-10s %.*s\n", r->fields[i].name, (int)r->fields[i].len,
			       r->fields[i].value);
		else
			printf("  %-10s (%zu bytes)\n", r->fields[i].name, r->fields[i].len);
	}
	return 0;
}

int cmd_show(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	struct show_out o = {.json = g->json};
	char subject[PDV_ID_MAX];
	int status = 0;

	pdv_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_fail(g);
	if (g->json)
		o.records = json_array();
	if (cli_setup(g, &cv, &err) == 0) {
		pdv_id_answer(cv->session, 's', argv[1],
		              subject); /* the shown form, given either */
		if (!g->json)
			printf("subject %s\n", subject);
	}
	if (!cv || !cv->session || pdv_show(cv->session, argv[1], show_one, &o, &err) < 0) {
		fflush(stdout);
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s, s:O}", "subject", subject, "records", o.records));
out:
	json_decref(o.records);
	return status;
}
