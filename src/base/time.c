/* time.c: not written yet */
