/*
 * logo.c — the controller's logo (controller.logo), read once when the
 * server starts and served from memory at GET /v1/logo, so the privacy
 * center shows it from its own origin: no third-party host learns who
 * visits, and the pages' Content-Security-Policy stays 'self'. The file is
 * checked by its first bytes (PNG, JPEG, WebP) and its size, at most
 * SRV_LOGO_MAX; an SVG is refused by the loader, as it may carry scripts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "server.h"

#define SRV_LOGO_MAX (256 * 1024)

/* the image type its first bytes say, or NULL */
static const char *image_type(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

int srv_logo_load(struct srv *s, struct pdv_error *err)
{
	const char *logo = s->decl->controller.logo.s, *file = s->decl->file;
	const char *slash = file ? strrchr(file, '/') : NULL;
	char path[4096];
	unsigned char *buf = NULL;
	size_t n = 0;
	FILE *f = NULL;
	int rc = 0;

	if (!logo)
		return 0;
	if (logo[0] == '/' || !slash)
		snprintf(path, sizeof(path), "%s", logo);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - file), file, logo);
	if (!(f = fopen(path, "rb"))) {
		rc = pdv_error_set(err, PDV_E_IO, "controller.logo: cannot read '%s': %s", path,
		                   strerror(errno));
		goto out;
	}
	if (!(buf = malloc(SRV_LOGO_MAX + 1))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	n = fread(buf, 1, SRV_LOGO_MAX + 1, f);
	if (ferror(f)) {
		rc = pdv_error_set(err, PDV_E_IO, "controller.logo: cannot read '%s'", path);
		goto out;
	}
	if (n > SRV_LOGO_MAX) {
		rc = pdv_error_set(err, PDV_E_LIMIT, "controller.logo: '%s' is over %d KiB", path,
		                   SRV_LOGO_MAX / 1024);
		goto out;
	}
	if (!(s->logo_type = image_type(buf, n))) {
		rc = pdv_error_set(err, PDV_E_INVAL,
		                   "controller.logo: '%s' is not a PNG, JPEG or "
		                   "WebP image",
		                   path);
		goto out;
	}
	s->logo = buf;
	s->logo_len = n;
	buf = NULL;
out:
	if (rc < 0)
		pdv_error_field(err, "controller.logo");
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

void d_logo(struct srv *s, struct job *j)
{
	if (!s->logo) {
		srv_error(j, 404, "not_found", "logo", "no controller.logo is declared");
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (pdv_buf_append(&j->out, s->logo, s->logo_len) < 0) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = s->logo_type;
	j->cacheable = true;
}
