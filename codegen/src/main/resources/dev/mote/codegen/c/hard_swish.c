/* hard_swish: not yet generated */
