/* calendar.c: not written yet */
