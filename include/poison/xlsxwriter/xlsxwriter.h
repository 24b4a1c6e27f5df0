/*
 * xlsxwriter.h — a poisoned stand-in for libxlsxwriter's header. It sits
 * first on the include path of every layer but render, so that a file there
 * which includes <xlsxwriter.h> fails to build: the workbook is a document
 * the render layer writes (src/render/xlsx.c), and the layers above ask
 * render for it (pdv_render_register_on with PDV_FORMAT_XLSX).
 * docs/internals/layers.md says why and where each header may be used.
 */
#error "xlsxwriter.h belongs to src/render only (docs/internals/layers.md)"
