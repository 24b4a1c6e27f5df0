/* clock.c: not written yet */
