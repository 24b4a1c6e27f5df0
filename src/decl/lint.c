/* lint.c: not written yet */
