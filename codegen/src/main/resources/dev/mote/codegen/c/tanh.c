/* tanh: not yet generated */
