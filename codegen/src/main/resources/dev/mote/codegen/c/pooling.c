/* pooling: not yet generated */
