/* conv: not yet generated */
