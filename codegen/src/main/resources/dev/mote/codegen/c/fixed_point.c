/* fixed_point: not yet generated */
