/*
 * directives.c — post-mortem directives (LIL art. 85), sealed under the
 * subject's key and bound to the subject.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

static size_t directives_ad(const char *subject, uint8_t *ad, size_t size)
{
	size_t n = strlen(subject);

	if (sizeof("pdv-directives") + n > size)
		return 0;
	memcpy(ad, "pdv-directives", sizeof("pdv-directives"));
	memcpy(ad + sizeof("pdv-directives"), subject, n);
	return sizeof("pdv-directives") + n;
}

int pdv_directives_set(struct pdv_session *s, const char *subject, const char *text, size_t len,
                       struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	uint8_t ad[64], *sealed = NULL;
	size_t adn;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if (len == 0 || len > PDV_DIRECTIVES_MAX || !pdv_utf8_valid(text, len)) {
		pdv_error_set(err, PDV_E_INVAL, "directives are UTF-8 text of 1 to %d bytes",
		              PDV_DIRECTIVES_MAX);
		pdv_error_field(err, "directives");
		return PDV_E_INVAL;
	}
	/* the person's own, bound to no activity: the dpo's */
	if ((rc = pdv_vault_dpo_only(s, "post-mortem directives", err)) < 0)
		return rc;
	if (!(sealed = malloc(len + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	adn = directives_ad(subject, ad, sizeof(ad));
	if ((rc = pdv_vault_subject_find(s, subject, &srow, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, &srow, s->scratch, err)) < 0 ||
	    (rc = pdv_seal(s->scratch, ad, adn, text, len, sealed, err)) < 0 ||
	    (rc = pdv_store_directives_put(s->store, srow.id, sealed, len + PDV_SEAL_OVERHEAD,
	                                   s->now, err)) < 0 ||
	    (rc = pdv_audit_append(s, "directives-set", subject, NULL, NULL, NULL, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	rc = pdv_session_tx_commit(s, err);
out:
	free(sealed);
	pdv_secret_generate(s->scratch);
	return rc;
}

int pdv_directives_get(struct pdv_session *s, const char *subject, pdv_text_cb cb, void *ctx,
                       struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	uint8_t ad[64], *sealed = NULL, *plain = NULL;
	size_t n, adn;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = pdv_vault_dpo_only(s, "post-mortem directives", err)) < 0)
		return rc;
	if (!(sealed = malloc(PDV_DIRECTIVES_MAX + PDV_SEAL_OVERHEAD)) ||
	    !(plain = pdv_secure_alloc(PDV_DIRECTIVES_MAX + 1))) {
		free(sealed);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	adn = directives_ad(subject, ad, sizeof(ad));
	if ((rc = pdv_vault_subject_find(s, subject, &srow, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, &srow, s->scratch, err)) < 0)
		goto fail;
	rc = pdv_store_directives_get(s->store, srow.id, sealed,
	                              PDV_DIRECTIVES_MAX + PDV_SEAL_OVERHEAD, &n, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_set(err, PDV_E_NOTFOUND, "subject '%s' left no directives",
		              pdv_id_told(s, 's', subject, canon));
		goto fail;
	}
	if (rc < 0 || (rc = pdv_open(s->scratch, ad, adn, sealed, n, plain, err)) < 0 ||
	    (rc = pdv_audit_append(s, "directives-read", subject, NULL, NULL, NULL, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) == 0)
		rc = cb(ctx, (const char *)plain, n - PDV_SEAL_OVERHEAD);
	goto out;
fail:
	pdv_session_tx_rollback(s);
out:
	free(sealed);
	pdv_secure_free(plain);
	pdv_secret_generate(s->scratch);
	return rc;
}
