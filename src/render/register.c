/* register.c: not written yet */
