/* countries.c: not written yet */
