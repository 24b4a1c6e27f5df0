/* lint-rules.c: not written yet */
