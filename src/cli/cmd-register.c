/*
 * cmd-register.c — `pdvault register [--lang L]
 * [--format csv|csv-excel|xlsx|json|md|html|dpv] [-o FILE]`: the register of
 * processing activities (Art. 30(1)). With the global --json the format is
 * json; xlsx needs -o FILE. The file is written 0600: the register is the
 * organisation's own record, for the authority on request, not a public page.
 */
#include "cli.h"

int cmd_register(struct cli_global *g, int argc, char **argv)
{
	static const struct cli_render_spec spec = {
	    .default_format = PDV_FORMAT_MD,
	    .formats = 1u << PDV_FORMAT_MD | 1u << PDV_FORMAT_HTML | 1u << PDV_FORMAT_CSV |
	               1u << PDV_FORMAT_JSON | 1u << PDV_FORMAT_CSV_EXCEL | 1u << PDV_FORMAT_XLSX |
	               1u << PDV_FORMAT_DPV,
	    .render = pdv_render_register,
	    .render_on = pdv_render_register_on,
	    .private_file = true,
	};

	return cli_render_document(g, argc, argv, &spec);
}
