/* relu: not yet generated */
