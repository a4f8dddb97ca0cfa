/* mul: not yet generated */
