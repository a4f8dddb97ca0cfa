/* mean: not yet generated */
