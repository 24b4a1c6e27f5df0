/*
 * cmd-notice.c — `pdvault notice [--lang L] [--format md|html] [-o FILE]`:
 * the privacy notice (Art. 13/14) written from the declaration.
 */
#include "cli.h"

int cmd_notice(struct cli_global *g, int argc, char **argv)
{
	static const struct cli_render_spec spec = {
	    .default_format = PDV_FORMAT_MD,
	    .formats = 1u << PDV_FORMAT_MD | 1u << PDV_FORMAT_HTML,
	    .render = pdv_render_notice,
	};

	return cli_render_document(g, argc, argv, &spec);
}
