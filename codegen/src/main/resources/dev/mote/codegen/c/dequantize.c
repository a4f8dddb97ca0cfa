/* dequantize: not yet generated */
