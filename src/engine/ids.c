/*
 * ids.c — the opaque ids: a kind letter and 22 URL-safe characters encoding
 * the row's random tag and a 64-bit number naming the row. The tag makes ids
 * unguessable; the number makes the lookup an index probe.
 *
 * An id has two spellings of the same length and alphabet:
 *  - the shown form, the only one that leaves the engine, carries the row id
 *    through pdv_id_permute under the index key (one permutation per kind),
 *    so ids of consecutive rows look unrelated and tell no count;
 *  - the canonical form carries the row id itself. It is what ids were before
 *    they were permuted, and stays what binds and what is stored: the
 *    associated data of sealed values and wrapped keys, the audit log's
 *    columns, the outbox. Never shown.
 * pdv_id_parse accepts both (a person may hold an id issued before), and
 * decides between them by the tag the row keeps: an id names a row only when
 * that row's 64 random bits equal the id's. For both readings of one string
 * to name rows, two rows of a kind would need the same tag: about n^2/2^65
 * for n rows, and nothing an attacker can steer, since guessing a tag is what
 * ids already prevent.
 */
#include <string.h>

#include "pdv/b64url.h"
#include "engine-internal.h"

#define ID_RAW (PDV_TAG_LEN + 8)

/* kind, then tag 8 | number 8: the random part first, so ids share no prefix */
static void encode(char kind, uint64_t x, const uint8_t tag[PDV_TAG_LEN], char out[PDV_ID_MAX])
{
	uint8_t raw[ID_RAW];

	memcpy(raw, tag, PDV_TAG_LEN);
	for (int i = 0; i < 8; i++)
		raw[PDV_TAG_LEN + i] = (uint8_t)(x >> (56 - 8 * i));
	out[0] = kind;
	pdv_b64url_encode(raw, sizeof(raw), out + 1, PDV_ID_MAX - 1);
}

static int decode(const char *s, char kind, uint64_t *ret_x, uint8_t ret_tag[PDV_TAG_LEN])
{
	uint8_t raw[ID_RAW];
	uint64_t x = 0;

	if (!s || s[0] != kind || pdv_b64url_decode(s + 1, raw, sizeof(raw)) < 0)
		return PDV_E_INVAL;
	for (int i = 0; i < 8; i++)
		x = x << 8 | raw[PDV_TAG_LEN + i];
	*ret_x = x;
	memcpy(ret_tag, raw, PDV_TAG_LEN);
	return 0;
}

void pdv_id_canonical(char kind, int64_t id, const uint8_t tag[PDV_TAG_LEN], char out[PDV_ID_MAX])
{
	encode(kind, (uint64_t)id, tag, out);
}

void pdv_id_format(const struct pdv_vault *v, char kind, int64_t id, const uint8_t tag[PDV_TAG_LEN],
                   char out[PDV_ID_MAX])
{
	encode(kind, pdv_id_permute(v->index_key, kind, (uint64_t)id), tag, out);
}

int pdv_id_parse_canonical(const char *s, char kind, int64_t *ret_id, uint8_t ret_tag[PDV_TAG_LEN])
{
	uint64_t x;

	if (decode(s, kind, &x, ret_tag) < 0 || x == 0 || x > INT64_MAX)
		return PDV_E_INVAL;
	*ret_id = (int64_t)x;
	return 0;
}

/* does a row of this kind have this id and this tag? */
static bool row_has_tag(struct pdv_session *s, char kind, int64_t id,
                        const uint8_t tag[PDV_TAG_LEN])
{
	uint8_t stored[PDV_TAG_LEN];
	int64_t subject;
	bool lifted;
	int rc;

	switch (kind) {
	case 's': {
		struct pdv_subject_row r;

		if ((rc = pdv_store_subject_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'r': {
		struct pdv_record_row r;

		if ((rc = pdv_store_record_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'q': {
		struct pdv_request_row r;

		if ((rc = pdv_store_request_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'b': {
		struct pdv_breach_row r;

		if ((rc = pdv_store_breach_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'k': {
		struct pdv_cookie_receipt_row r;

		if ((rc = pdv_store_cookie_receipt_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'v': {
		struct pdv_verification_row r;

		if ((rc = pdv_store_verification_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'd': {
		struct pdv_certificate_row r;

		if ((rc = pdv_store_certificate_get(s->store, id, &r, NULL)) == 0)
			memcpy(stored, r.tag, PDV_TAG_LEN);
		break;
	}
	case 'h':
		rc = pdv_store_hold_get(s->store, id, stored, &subject, &lifted, NULL);
		break;
	default:
		return false;
	}
	return rc == 0 && pdv_equal(stored, tag, PDV_TAG_LEN);
}

int pdv_id_parse(struct pdv_session *s, const char *str, char kind, int64_t *ret_id,
                 uint8_t ret_tag[PDV_TAG_LEN])
{
	uint64_t x, y;

	if (decode(str, kind, &x, ret_tag) < 0)
		return PDV_E_INVAL;
	/* the shown form first: every id handed out since ids were permuted */
	y = pdv_id_unpermute(s->vault->index_key, kind, x);
	if (y != 0 && y <= INT64_MAX && row_has_tag(s, kind, (int64_t)y, ret_tag)) {
		*ret_id = (int64_t)y;
		return 0;
	}
	if (x != 0 && x <= INT64_MAX && row_has_tag(s, kind, (int64_t)x, ret_tag)) {
		*ret_id = (int64_t)x;
		return 0;
	}
	return PDV_E_NOTFOUND;
}

const char *pdv_id_shown(const struct pdv_vault *v, const char *str, char out[PDV_ID_MAX])
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;

	if (!str || pdv_id_parse_canonical(str, str[0], &id, tag) < 0)
		return str;
	pdv_id_format(v, str[0], id, tag, out);
	return out;
}

const char *pdv_id_canon(struct pdv_session *s, char kind, const char *str, char out[PDV_ID_MAX])
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;

	if (pdv_id_parse(s, str, kind, &id, tag) < 0)
		return str;
	pdv_id_canonical(kind, id, tag, out);
	return out;
}

const char *pdv_id_told(struct pdv_session *s, char kind, const char *str, char out[PDV_ID_MAX])
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;

	if (pdv_id_parse(s, str, kind, &id, tag) < 0)
		return str;
	pdv_id_format(s->vault, kind, id, tag, out);
	return out;
}

void pdv_id_answer(struct pdv_session *s, char kind, const char *id, char ret[PDV_ID_MAX])
{
	char told[PDV_ID_MAX];

	pdv_strlcpy(ret, id ? pdv_id_told(s, kind, id, told) : "", PDV_ID_MAX);
}
