/* concatenation: not yet generated */
