/* transpose: not yet generated */
