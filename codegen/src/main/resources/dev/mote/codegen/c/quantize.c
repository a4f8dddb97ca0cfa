/* quantize: not yet generated */
