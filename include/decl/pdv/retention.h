/*
 * pdv/retention.h — the retention calculus (pure: `now` is a parameter).
 *
 * Grammar (docs/declaration.md §10.1 Spans):
 *   span     := DURATION "from" TRIGGER [ ", at most" DURATION "from" TRIGGER ]
 *             | "until" EVENT [ ", at most" DURATION "from" TRIGGER ]
 *   DURATION := INTEGER ( "d" | "w" | "mo" | "y" )
 *   TRIGGER  := collection | last-contact | financial-year-end | EVENT
 *   EVENT    := consent-withdrawn | contract-end | event-end | request-closed
 *             | objection | NAME (kebab-case)
 *
 * Time semantics:
 *  - time is counted in whole UTC days: "D from T" ends at the end of
 *    day(T) + D, so the transition is due at 00:00 UTC the next day;
 *  - months and years by Reg. 1182/71 (pdv/time.h);
 *  - last-contact = the latest of the collection and every `contact` event;
 *    `renewed` counts as a new collection and contact;
 *  - financial-year-end = the end of the financial year (fy_end MM-DD) in
 *    which the record was collected (the first fy_end day >= collection day);
 *  - a span whose trigger has not happened keeps the record active; the
 *    "at most" cap, when given, still ends it;
 *  - "until E" ends the active phase at the instant E happens;
 *  - a following phase (archive, renewal wait) counts from the last day of
 *    the phase before it: archive D ends at the end of last_day + D;
 *  - events are taken in time order and apply only while the record is
 *    active (or renewal-pending, for `renewed` and early events); an event
 *    after the record left the active phase has no effect;
 *  - an early event ends the record at once, skipping the archive phase;
 *  - renew applies only when the active phase ends by a duration: the record
 *    is renewal-pending from that end for `wait`; `renewed` within the wait
 *    restarts the active phase; silence `end` ends the record (skipping the
 *    archive), silence `keep` keeps it active again (a lint error, but
 *    computable).
 */
#ifndef PDV_RETENTION_H
#define PDV_RETENTION_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/decl.h"
#include "pdv/error.h"
#include "pdv/time.h"

#define PDV_EVENT_NAME_MAX 64
#define PDV_RETENTION_MAX_EARLY 16

enum pdv_trigger_kind {
	PDV_TRIGGER_COLLECTION = 0,
	PDV_TRIGGER_LAST_CONTACT,
	PDV_TRIGGER_FY_END,
	PDV_TRIGGER_EVENT, /* a named event: contract-end, request-closed, a NAME... */
};

struct pdv_trigger {
	enum pdv_trigger_kind kind;
	char event[PDV_EVENT_NAME_MAX]; /* for PDV_TRIGGER_EVENT */
};

enum pdv_span_kind {
	PDV_SPAN_DURATION = 0, /* D from T */
	PDV_SPAN_UNTIL,        /* until E */
};

struct pdv_span {
	enum pdv_span_kind kind;
	struct pdv_duration dur;        /* PDV_SPAN_DURATION */
	struct pdv_trigger from;        /* PDV_SPAN_DURATION */
	char until[PDV_EVENT_NAME_MAX]; /* PDV_SPAN_UNTIL */
	bool has_cap;
	struct pdv_duration cap;
	struct pdv_trigger cap_from;
};

/*
 * Parse a span. On failure, err->pos.col is the 1-based column in s where the
 * problem is and the message says what was expected there.
 */
int pdv_span_parse(const char *s, struct pdv_span *ret, struct pdv_error *err) PDV_WUR;
/* Write the span back in canonical form (buf >= 160 bytes). */
void pdv_span_format(const struct pdv_span *sp, char *buf, size_t size);
/* Is name a syntactically valid EVENT (built-in or kebab-case NAME)? */
bool pdv_event_name_valid(const char *name);
/* Is name one of the built-in events (consent-withdrawn, contract-end...)? */
bool pdv_event_builtin(const char *name);
/* Can the span wait forever (an event trigger, or until, with no cap)? */
bool pdv_span_unbounded(const struct pdv_span *sp);
/* Longest time the span can last, in days from its trigger (cap included);
 * false when unbounded */
bool pdv_span_max_days(const struct pdv_span *sp, double *ret_days);

enum pdv_end_action {
	PDV_END_DELETE = 0,
	PDV_END_ANONYMISE,
};

/*
 * What a retention.end names (LEGAL.md §5: end := delete | anonymise |
 * CHOICE): PDV_END_NAMES_DELETE and/or PDV_END_NAMES_ANONYMISE, or 0 when
 * one of its alternatives names neither (keeping, archiving). Read are
 * `delete`, `anonymise`, the choice `delete or anonymise` (what the list form
 * `end: [delete, anonymise]` loads as) and the policy's own words, split at
 * "or", "ou", "unless", "sauf", commas and slashes: "deleted or kept after
 * having been anonymised" names both; "deleted or kept" names 0, since "kept"
 * alone ends nothing.
 */
#define PDV_END_NAMES_DELETE 1u
#define PDV_END_NAMES_ANONYMISE 2u
unsigned pdv_end_names(const char *s);
/* The end pdvault applies: anonymise only when that is all the end names; a
 * choice is resolved by deletion, which leaves nothing to prove anonymous.
 * NULL is the default, delete. */
enum pdv_end_action pdv_end_action_of(const char *s);

enum pdv_silence {
	PDV_SILENCE_END = 0,
	PDV_SILENCE_KEEP,
};

/* a declaration's retention, compiled for computation */
struct pdv_retention {
	struct pdv_span active;
	bool has_archive;
	struct pdv_duration archive;
	enum pdv_end_action end;
	bool has_renew;
	struct pdv_duration renew_wait;
	enum pdv_silence silence;
	size_t n_early;
	char early[PDV_RETENTION_MAX_EARLY][PDV_EVENT_NAME_MAX];
	int fy_month; /* financial-year end, from the controller */
	int fy_day;
};

/*
 * Compile an activity's retention. Fails (PDV_E_INVAL, err naming the key
 * and position) when a part is missing or not computable; the linter reports
 * the same problems as findings.
 */
int pdv_retention_compile(const struct pdv_decl *d, const struct pdv_retention_decl *rd,
                          struct pdv_retention *ret, struct pdv_error *err) PDV_WUR;

/* a lifecycle event of a record */
struct pdv_event {
	const char *name; /* contact, renewed, contract-end, consent-withdrawn, objection, NAME */
	pdv_time_t at;
};

enum pdv_phase {
	PDV_PHASE_ACTIVE = 0,
	PDV_PHASE_RENEWAL_PENDING,
	PDV_PHASE_ARCHIVED,
	PDV_PHASE_ENDED, /* deleted or anonymised, per the end action */
};

const char *pdv_phase_name(enum pdv_phase p); /* "active", "renewal-pending", "archived", "ended" */

struct pdv_phase_info {
	enum pdv_phase phase;
	pdv_time_t since;      /* when the current phase began */
	bool has_next;         /* false: no transition is scheduled (waits on an event) */
	enum pdv_phase next;   /* the phase it moves to */
	pdv_time_t next_at;    /* when */
	bool ended_early;      /* ended by an early event or renewal silence */
	pdv_time_t active_end; /* when the active phase ended or will end (0: not scheduled) */
};

/*
 * The phase of a record at `now`, from its collection time and its events
 * (any order; duplicates allowed), and its next transition.
 */
int pdv_retention_phase(const struct pdv_retention *r, pdv_time_t collected,
                        const struct pdv_event *events, size_t n_events, pdv_time_t now,
                        struct pdv_phase_info *ret, struct pdv_error *err) PDV_WUR;

/*
 * Plain-words description of a span or a whole retention, for the notice and
 * the register ("3 years from the last contact, then archived 5 years, then
 * deleted"). lang: "en" or "fr" (others fall back to "en").
 */
int pdv_retention_describe(const struct pdv_retention *r, const char *lang, char *buf, size_t size);
int pdv_span_describe(const struct pdv_span *sp, const char *lang, char *buf, size_t size);

#endif
