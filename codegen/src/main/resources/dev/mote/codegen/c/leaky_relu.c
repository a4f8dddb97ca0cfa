/* leaky_relu: not yet generated */
