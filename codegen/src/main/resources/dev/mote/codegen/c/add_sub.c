/* add_sub: not yet generated */
