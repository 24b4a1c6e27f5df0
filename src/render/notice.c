/* notice.c: not written yet */
