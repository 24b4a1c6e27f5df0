/* taxonomy.c: not written yet */
