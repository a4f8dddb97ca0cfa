/* pad: not yet generated */
