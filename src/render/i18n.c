/* i18n.c: not written yet */
